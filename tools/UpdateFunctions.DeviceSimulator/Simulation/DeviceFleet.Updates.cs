using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using UpdateFunctions.DeviceSimulator.Wire;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>The update check of one device, and installing (downloading and verifying) what it was offered.</summary>
public sealed partial class DeviceFleet
{
    private async Task<DeviceOutcome> CheckAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var info = device.Info(_options.AppId, _options.PluginVersion, _options.IsEmulator, _options.IsProd);
        HttpResponseMessage response;
        try
        {
            response = await _server.PostAsync(_updatesUri, JsonContent.Create(info, PluginJsonContext.Default.PluginCall), cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return CheckFailed(device, Unreached(ex));
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                device.BlockedUntil = _clock.GetUtcNow() + RetryAfter(response);
                return CheckFailed(device, response.StatusCode == HttpStatusCode.TooManyRequests
                    ? new DeviceOutcome(CheckResult.RateLimited) { RateLimitedCalls = 1 }
                    : Failure($"updates: {status} {ErrorCode(body)}"));
            }
            if (response.StatusCode == HttpStatusCode.NotFound && ErrorCode(body) == "app_not_found")
                throw new AppNotFoundException($"The server at {_options.ServerUrl} does not know the app {_options.AppId} (404 app_not_found).");
            if (response.StatusCode != HttpStatusCode.OK)
                return CheckFailed(device, Failure($"updates: {status} {ErrorCode(body)}"));

            UpdateAnswer? answer;
            try
            {
                answer = JsonSerializer.Deserialize(body, PluginJsonContext.Default.UpdateAnswer);
            }
            catch (JsonException)
            {
                answer = null;
            }
            if (answer is null)
                return CheckFailed(device, Failure("updates: 200 with an answer the plugin cannot read"));
            if (answer.IsRefusal)
            {
                return answer.Kind == "up_to_date"
                    ? new DeviceOutcome(CheckResult.UpToDate)
                    : new DeviceOutcome(CheckResult.Refused, Reason: answer.Error ?? answer.Kind);
            }
            if (string.IsNullOrEmpty(answer.Version))
                return CheckFailed(device, Failure("updates: 200 without version, error or kind"));
            if (answer.Version == Builtin)
                return Reset(device);
            return await InstallAsync(device, answer, cancellationToken);
        }
    }

    /// <summary>
    /// A check that got no usable answer (any status but 2xx, no answer, an unreadable one): the v8 plugin ends its
    /// update task with <c>download_fail</c> naming the bundle the device runs (<c>endBackGroundTaskWithNotif</c>), and
    /// sends it once <c>Retry-After</c> has passed.
    /// </summary>
    private DeviceOutcome CheckFailed(SimulatedDevice device, DeviceOutcome outcome)
    {
        device.Queue(Event(device, "download_fail", device.VersionName));
        return outcome with { ReportedFailureOf = device.VersionName };
    }

    /// <summary><c>{"version":"builtin"}</c>: the plugin resets to the binary's bundle and reports <c>reset</c>.</summary>
    private DeviceOutcome Reset(SimulatedDevice device)
    {
        var old = device.VersionName;
        device.VersionName = Builtin;
        device.Queue(Event(device, "reset", Builtin, old));
        return new DeviceOutcome(CheckResult.Installed, Offered: Builtin, Bundle: new BundleTally(1, 0, 1, 0));
    }

    private async Task<DeviceOutcome> InstallAsync(SimulatedDevice device, UpdateAnswer offer, CancellationToken cancellationToken)
    {
        var version = offer.Version!;
        var old = device.VersionName;
        var failed = new BundleTally(Offered: 1, Attempts: 1, Installed: 0, Failed: 1);

        // The v8 plugin gives up on an offer without a valid URL before downloading (a failed check, as above), and
        // fails the download of one without a checksum (checksum_required, then download_fail of the offered bundle).
        if (string.IsNullOrEmpty(offer.Url) || !Uri.TryCreate(offer.Url, UriKind.Absolute, out var bundleUrl) || bundleUrl.Scheme is not ("http" or "https"))
        {
            var outcome = new DeviceOutcome(CheckResult.Failed, version, "offer without a valid url", new BundleTally(1, 0, 0, 0));
            return CheckFailed(device, outcome);
        }
        // Every download of the v8 plugin starts with this event of the bundle it downloads (DownloadService); a failed
        // check never sends one, which is how the metrics tell a failed download from a failed check.
        device.Queue(Event(device, "download_zip_start", version));
        if (string.IsNullOrEmpty(offer.Checksum))
        {
            device.Queue(Event(device, "checksum_required", old));
            device.Queue(Event(device, "download_fail", version));
            return new DeviceOutcome(CheckResult.Failed, version, "offer without checksum", failed);
        }

        var attempt = device.NextAttempt(version);
        if (_options.Download != DownloadMode.None)
        {
            var problem = await DownloadAsync(bundleUrl, offer, cancellationToken);
            if (problem is not null)
            {
                if (problem.Detail is { } detail)
                    device.Queue(Event(device, detail, version));
                device.Queue(Event(device, "download_fail", version));
                return new DeviceOutcome(CheckResult.Failed, version, problem.Reason, failed);
            }
        }

        if (_options.Failures.ShouldFail(_options.Seed, device.Profile, version, attempt))
        {
            switch (_options.Failures.Mode)
            {
                case FailureMode.Download:
                    device.Queue(Event(device, "download_fail", version));
                    break;
                case FailureMode.Set:
                    device.Queue(Event(device, "download_complete", version));
                    device.Queue(Event(device, "set_fail", version));
                    break;
                default:
                    // Installed, then rolled back on launch: notifyAppReady never came.
                    device.Queue(Event(device, "download_complete", version));
                    device.Queue(Event(device, "set", version, old));
                    device.Queue(Event(device, "update_fail", version));
                    // The plugin resets to its fallback bundle, which it reports as a set (not when that is builtin).
                    if (old != Builtin)
                        device.Queue(Event(device, "set", old, version));
                    break;
            }
            return new DeviceOutcome(CheckResult.Failed, version, "injected " + FailurePlan.ModeName(_options.Failures.Mode), failed);
        }

        device.Queue(Event(device, "download_complete", version));
        device.Queue(Event(device, "set", version, old));
        device.VersionName = version;
        return new DeviceOutcome(CheckResult.Installed, version, Bundle: new BundleTally(1, 1, 1, 0));
    }

    private sealed record DownloadProblem(string Reason, string? Detail = null);

    private async Task<DownloadProblem?> DownloadAsync(Uri url, UpdateAnswer offer, CancellationToken cancellationToken)
    {
        try
        {
            var method = _options.Download == DownloadMode.Head ? HttpMethod.Head : HttpMethod.Get;
            using var request = new HttpRequestMessage(method, url);
            using var response = await _downloads.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return new DownloadProblem(string.Create(CultureInfo.InvariantCulture, $"download: {(int)response.StatusCode}"));
            if (method == HttpMethod.Head)
                return null;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            // An encrypted bundle's checksum is RSA-encrypted: only the device's public key could check it.
            var checkable = string.IsNullOrEmpty(offer.SessionKey) && offer.Checksum!.Length == 64;
            return checkable && !string.Equals(hash, offer.Checksum, StringComparison.OrdinalIgnoreCase)
                ? new DownloadProblem("download: checksum mismatch", "checksum_fail")
                : null;
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return new DownloadProblem("download: " + TransportReason(ex));
        }
    }
}
