using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using UpdateFunctions.DeviceSimulator.Wire;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>
/// Runs synthetic Capgo devices against a server. Each round every device posts an update check with the info
/// object the plugin sends; when offered a bundle it "downloads" it (or really fetches it, <see cref="DownloadMode"/>),
/// installs it or fails as <see cref="FailurePlan"/> says, and posts the stats events the plugin would, as one
/// v8-style array. A device that installed a bundle reports it as its <c>version_name</c> from then on; one that
/// failed stays on its bundle and is offered the same one again next round. 429 and 503 answers block a device
/// until their <c>Retry-After</c>, as the plugin does, and its stats stay queued until then.
/// </summary>
public sealed class DeviceFleet
{
    private const string Builtin = "builtin";
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    private readonly HttpClient _server;
    private readonly HttpClient _downloads;
    private readonly SimulationOptions _options;
    private readonly TimeProvider _clock;
    private readonly Uri _updatesUri;
    private readonly Uri _statsUri;

    /// <param name="server">Talks to the server (the device API).</param>
    /// <param name="downloads">Fetches bundle URLs (a CDN or the storage emulator, not the server) when <see cref="SimulationOptions.Download"/> asks.</param>
    public DeviceFleet(HttpClient server, HttpClient downloads, SimulationOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _downloads = downloads ?? throw new ArgumentNullException(nameof(downloads));
        _options = options;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _updatesUri = DeviceApi.Updates(options.ServerUrl);
        _statsUri = DeviceApi.Stats(options.ServerUrl);
        Devices = DevicePopulation.Create(options);
    }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>What the run is about to do.</summary>
    public SimulationStart Describe() => new(
        Url: _options.ServerUrl.ToString(),
        AppId: _options.AppId,
        Devices: Devices.Count,
        Seed: _options.Seed,
        Rounds: _options.Rounds,
        DurationSeconds: _options.Duration?.TotalSeconds,
        IntervalSeconds: _options.Interval.TotalSeconds,
        Concurrency: _options.Concurrency,
        Download: _options.Download.ToString().ToLowerInvariant(),
        Platforms: VersionOrder.Count(Devices.Select(d => d.Profile.Platform)),
        VersionBuilds: VersionOrder.Count(Devices.Select(d => d.Profile.VersionBuild)),
        Channels: VersionOrder.Count(Devices.Select(d => d.Profile.Channel ?? "(default)")),
        CustomIds: VersionOrder.Count(DevicePopulation.CustomIdTemplates(_options).Select(t => t ?? "(none)")),
        Failures: _options.Failures.ToString());

    /// <summary>
    /// Runs every round, then sends the stats still queued. Returns the summary, also when cancelled (then with
    /// <see cref="SimulationSummary.Completed"/> false).
    /// </summary>
    /// <exception cref="ServerUnreachableException">No device of a round got any answer.</exception>
    /// <exception cref="AppNotFoundException">The server does not know the app.</exception>
    public async Task<SimulationSummary> RunAsync(Func<RoundSummary, CancellationToken, Task>? onRound, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var rounds = new List<RoundSummary>();
        var flushed = new List<DeviceOutcome>();
        var completed = false;
        try
        {
            for (var round = 1; _options.Rounds is not { } max || round <= max; round++)
            {
                if (round > 1 && _options.Duration is { } duration && _clock.GetElapsedTime(started) >= duration)
                    break;
                var summary = await RunRoundAsync(round, cancellationToken);
                rounds.Add(summary);
                if (onRound is not null)
                    await onRound(summary, cancellationToken);
                var last = _options.Rounds is { } count && round >= count;
                if (!last && _options.Interval > TimeSpan.Zero)
                    await Task.Delay(_options.Interval, _clock, cancellationToken);
            }
            flushed.AddRange(await FlushStatsAsync(cancellationToken));
            completed = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled (Ctrl-C): report what ran.
        }
        return Summarize(rounds, flushed, completed, _clock.GetElapsedTime(started));
    }

    /// <summary>One round: every device once, at most <see cref="SimulationOptions.Concurrency"/> at a time.</summary>
    public async Task<RoundSummary> RunRoundAsync(int round, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetUtcNow();
        var started = _clock.GetTimestamp();
        var outcomes = new DeviceOutcome[Devices.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, Devices.Count), parallel, async (index, token) =>
            outcomes[index] = await RunDeviceAsync(Devices[index], token));

        var called = outcomes.Where(o => o.Check != CheckResult.Deferred).ToList();
        if (called.Count > 0 && called.All(o => !o.Reached) && called.FirstOrDefault(o => o.Unreachable is not null) is { } unreachable)
        {
            throw new ServerUnreachableException(
                $"Cannot reach the server at {_options.ServerUrl} ({unreachable.Unreachable}). Is it running? ./run.sh starts LocalHost on http://127.0.0.1:7071.");
        }

        return new RoundSummary(
            Round: round,
            StartedAt: startedAt,
            Seconds: Math.Round(_clock.GetElapsedTime(started).TotalSeconds, 3),
            Checks: called.Count,
            Offered: outcomes.Count(o => o.Offered is not null),
            Installed: outcomes.Count(o => o.Check == CheckResult.Installed),
            Failed: outcomes.Count(o => o.Check == CheckResult.Failed),
            UpToDate: outcomes.Count(o => o.Check == CheckResult.UpToDate),
            Refused: outcomes.Count(o => o.Check == CheckResult.Refused),
            RateLimited: outcomes.Sum(o => o.RateLimitedCalls),
            Deferred: outcomes.Length - called.Count,
            Errors: outcomes.Sum(o => o.Errors.Count),
            Versions: VersionOrder.Count(Devices.Select(d => d.VersionName)),
            Bundles: TallyBundles(outcomes),
            Refusals: CountReasons(outcomes.Where(o => o.Check == CheckResult.Refused).Select(o => o.Reason ?? "?")),
            ErrorReasons: CountReasons(outcomes.SelectMany(o => o.Errors)),
            Stats: outcomes.Aggregate(StatsTally.Zero, (sum, o) => sum.Add(o.Stats)));
    }

    private async Task<DeviceOutcome> RunDeviceAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var outcome = _clock.GetUtcNow() < device.BlockedUntil
            ? DeviceOutcome.Deferred
            : await CheckAsync(device, cancellationToken);
        if (device.PendingStats.Count > 0 && _clock.GetUtcNow() >= device.BlockedUntil)
            outcome = Merge(outcome, await SendStatsAsync(device, cancellationToken));
        return outcome;
    }

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

    private async Task<DeviceOutcome> SendStatsAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var batch = device.PendingStats.ToArray();
        HttpResponseMessage response;
        try
        {
            response = await _server.PostAsync(_statsUri, JsonContent.Create<IReadOnlyList<PluginCall>>(batch, PluginJsonContext.Default.IReadOnlyListPluginCall), cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return Unreached(ex) with { Check = CheckResult.Deferred, Errors = ["stats: " + TransportReason(ex)] };
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            // The plugin retries 408, 429 and 5xx after Retry-After, and drops a batch answered with another 4xx.
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
            {
                device.BlockedUntil = _clock.GetUtcNow() + RetryAfter(response);
                return response.StatusCode == HttpStatusCode.TooManyRequests
                    ? new DeviceOutcome(CheckResult.Deferred) { RateLimitedCalls = 1 }
                    : new DeviceOutcome(CheckResult.Deferred) { Errors = [$"stats: {status} {ErrorCode(body)}"] };
            }
            device.PendingStats.RemoveRange(0, batch.Length);
            if (status != 200)
            {
                return new DeviceOutcome(CheckResult.Deferred)
                {
                    Stats = new StatsTally(0, 0, batch.Length),
                    Errors = [$"stats: {status} {ErrorCode(body)} (batch dropped)"],
                };
            }

            StatsAnswer? answer;
            try
            {
                answer = JsonSerializer.Deserialize(body, PluginJsonContext.Default.StatsAnswer);
            }
            catch (JsonException)
            {
                answer = null;
            }
            if (answer?.Error is { } error)
                return new DeviceOutcome(CheckResult.Deferred) { Stats = new StatsTally(0, 0, batch.Length), Errors = [$"stats: 200 {error} (batch dropped)"] };
            var rejected = answer?.Results?.Where(r => r.Status != "ok").ToList() ?? [];
            return new DeviceOutcome(CheckResult.Deferred)
            {
                Stats = new StatsTally(batch.Length - rejected.Count, rejected.Count, 0),
                Errors = [.. rejected.Select(r => $"stats: event {batch[Math.Clamp(r.Index, 0, batch.Length - 1)].Action} rejected: {r.Error} {r.Message}")],
            };
        }
    }

    /// <summary>After the last round: sends what devices still queue, waiting out their <c>Retry-After</c> (bounded).</summary>
    private async Task<List<DeviceOutcome>> FlushStatsAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<DeviceOutcome>();
        for (var pass = 0; pass < 3; pass++)
        {
            var pending = Devices.Where(d => d.PendingStats.Count > 0).ToList();
            if (pending.Count == 0)
                break;
            var wait = pending.Max(d => d.BlockedUntil) - _clock.GetUtcNow();
            if (wait > _options.MaxFinalFlushWait)
                wait = _options.MaxFinalFlushWait;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _clock, cancellationToken);
            var results = new DeviceOutcome[pending.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, pending.Count), parallel, async (index, token) =>
            {
                // Past the wait cap a device may still be blocked; the plugin would keep waiting, a run ends.
                var device = pending[index];
                device.BlockedUntil = DateTimeOffset.MinValue;
                results[index] = await SendStatsAsync(device, token);
            });
            outcomes.AddRange(results);
        }
        return outcomes;
    }

    private SimulationSummary Summarize(List<RoundSummary> rounds, List<DeviceOutcome> flushed, bool completed, TimeSpan elapsed)
    {
        var bundles = new SortedDictionary<string, BundleTally>(VersionOrder.Instance);
        foreach (var (version, tally) in rounds.SelectMany(r => r.Bundles))
            bundles[version] = bundles.GetValueOrDefault(version, BundleTally.Zero).Add(tally);
        return new SimulationSummary(
            Url: _options.ServerUrl.ToString(),
            AppId: _options.AppId,
            Devices: Devices.Count,
            Seed: _options.Seed,
            Rounds: rounds.Count,
            Seconds: Math.Round(elapsed.TotalSeconds, 3),
            Completed: completed,
            Checks: rounds.Sum(r => r.Checks),
            Offered: rounds.Sum(r => r.Offered),
            Installed: rounds.Sum(r => r.Installed),
            Failed: rounds.Sum(r => r.Failed),
            UpToDate: rounds.Sum(r => r.UpToDate),
            Refused: rounds.Sum(r => r.Refused),
            RateLimited: rounds.Sum(r => r.RateLimited) + flushed.Sum(o => o.RateLimitedCalls),
            Errors: rounds.Sum(r => r.Errors) + flushed.Sum(o => o.Errors.Count),
            Versions: VersionOrder.Count(Devices.Select(d => d.VersionName)),
            Bundles: bundles,
            Refusals: Sum(rounds.Select(r => r.Refusals)),
            ErrorReasons: Sum(rounds.Select(r => r.ErrorReasons).Append(CountReasons(flushed.SelectMany(o => o.Errors)))),
            Stats: rounds.Select(r => r.Stats).Concat(flushed.Select(o => o.Stats)).Aggregate(StatsTally.Zero, (sum, s) => sum.Add(s)),
            PendingStats: Devices.Sum(d => d.PendingStats.Count));
    }

    private PluginCall Event(SimulatedDevice device, string action, string versionName, string oldVersionName = "") =>
        device.Info(_options.AppId, _options.PluginVersion, _options.IsEmulator, _options.IsProd) with
        {
            VersionName = versionName,
            OldVersionName = oldVersionName,
            Action = action,
            Timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };

    private static DeviceOutcome Merge(DeviceOutcome check, DeviceOutcome stats) => check with
    {
        Reached = check.Reached || stats.Reached,
        Unreachable = check.Unreachable ?? stats.Unreachable,
        Stats = check.Stats.Add(stats.Stats),
        RateLimitedCalls = check.RateLimitedCalls + stats.RateLimitedCalls,
        Errors = [.. check.Errors, .. stats.Errors],
    };

    private static DeviceOutcome Failure(string reason) => new(CheckResult.Error, Reason: reason) { Errors = [reason] };

    private static DeviceOutcome Unreached(Exception ex)
    {
        var reason = TransportReason(ex);
        return new DeviceOutcome(CheckResult.Error, Reason: reason, Reached: false, Unreachable: reason) { Errors = ["updates: " + reason] };
    }

    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string TransportReason(Exception ex) => ex switch
    {
        TaskCanceledException => "timed out",
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            _ => socket.Message,
        },
        _ => ex.Message,
    };

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _clock.GetUtcNow() : DefaultRetryAfter);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    private static string ErrorCode(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, PluginJsonContext.Default.ErrorAnswer)?.Error ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static SortedDictionary<string, BundleTally> TallyBundles(IEnumerable<DeviceOutcome> outcomes)
    {
        var bundles = new SortedDictionary<string, BundleTally>(VersionOrder.Instance);
        foreach (var outcome in outcomes)
        {
            if (outcome is { Offered: { } version, Bundle: { } tally })
                bundles[version] = bundles.GetValueOrDefault(version, BundleTally.Zero).Add(tally);
            if (outcome.ReportedFailureOf is { } running)
                bundles[running] = bundles.GetValueOrDefault(running, BundleTally.Zero).Add(new BundleTally(0, 0, 0, 0, CheckFailed: 1));
        }
        return bundles;
    }

    private static SortedDictionary<string, int> CountReasons(IEnumerable<string> reasons)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var reason in reasons)
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        return counts;
    }

    private static SortedDictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var total = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in counts.SelectMany(c => c))
            total[key] = total.GetValueOrDefault(key) + value;
        return total;
    }
}
