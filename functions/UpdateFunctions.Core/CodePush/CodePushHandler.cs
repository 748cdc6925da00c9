using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// The CodePush acquisition endpoints: update checks answered from memory (deployment key index, app snapshot,
/// release history), and status reports turned into the same telemetry events Capgo devices send, so metrics, rollout
/// gates and halts count React Native devices too: <c>DeploymentSucceeded</c> → <c>set</c> (an install),
/// <c>DeploymentFailed</c> → <c>set_fail</c> (a failed install: the app rolled back before it was ready), a download
/// report → <c>download_complete</c>.
/// </summary>
public sealed class CodePushHandler(
    CodePushDirectory directory,
    IAppSnapshotSource snapshots,
    IDownloadUrlSource urls,
    ITelemetryPublisher publisher,
    DeviceRateLimiter limiter,
    TimeProvider clock)
{
    /// <summary>A real check's query is under 400 characters; anything far longer is not a client.</summary>
    public const int MaxQueryLength = 2048;
    public const int MaxClientIdLength = 128;
    public const int MaxPackageHashLength = 128;
    public const int RetryAfterSeconds = 5;

    public const string DeploymentSucceeded = "DeploymentSucceeded";
    public const string DeploymentFailed = "DeploymentFailed";

    private static readonly DeviceResponse Ok = DeviceResponse.Json(200, new StatusBody("ok"), DeviceJsonContext.Default.StatusBody);

    /// <summary><c>GET update_check</c> / <c>GET updateCheck</c>; <paramref name="queryLength"/> is the raw query string's length.</summary>
    public async ValueTask<DeviceResponse> CheckAsync(
        IReadOnlyDictionary<string, string?> query, int queryLength, CodePushDialect dialect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (queryLength > MaxQueryLength)
            return DeviceResponse.Error(414, CodePushErrors.QueryTooLong, $"The query string is longer than {MaxQueryLength} characters.");
        var (key, failure) = await FindKeyAsync(Read(query, "deployment_key", "deploymentKey"), cancellationToken);
        if (failure is not null)
            return failure;
        var appVersionText = Read(query, "app_version", "appVersion");
        if (!BinaryVersions.TryParseAppVersion(appVersionText, out var appVersion))
            return BadAppVersion();
        var packageHash = Read(query, "package_hash", "packageHash");
        if (packageHash is not null && !IsHash(packageHash))
            return DeviceResponse.Error(400, CodePushErrors.InvalidPackageHash, "package_hash must be the hex content hash of the running release.");
        var label = Read(query, "label", "label");
        if (label is not null && !CodePushRelease.TryParseLabel(label, out _))
            return DeviceResponse.Error(400, CodePushErrors.InvalidLabel, "label must be a release label such as v3.");
        if (!TryReadClientId(Read(query, "client_unique_id", "clientUniqueId"), out var clientId))
            return BadClientId();
        var companion = string.Equals(Read(query, "is_companion", "isCompanion"), "true", StringComparison.OrdinalIgnoreCase);

        if (!limiter.TryAcquire(key!.AppId, clientId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);
        var loaded = await LoadAsync(key, cancellationToken);
        if (loaded.Failure is not null)
            return loaded.Failure;

        var device = DeviceOf(key, clientId, appVersion.ToString(), label);
        var check = new CodePushCheck(appVersionText!, appVersion, packageHash?.ToLowerInvariant(), label, companion);
        var answer = loaded.App!.FindChannel(key.Channel) is { } channel && channel.IsEnabledFor(key.Platform)
            ? CodePushDecider.Decide(loaded.History!.For(key.Channel), BundleFor(loaded.App, channel, device), check)
            : new CodePushAnswer(false, null, false, "", false, false, CodePushReasons.ChannelClosedForPlatform);
        return await ToResponseAsync(loaded.App, answer, dialect, cancellationToken);
    }

    /// <summary><c>POST report_status/deploy</c>: a release installed (or rolled back) on a device.</summary>
    public ValueTask<DeviceResponse> ReportDeployAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        ReportAsync(body, async (root, key, clientId) =>
        {
            if (!BinaryVersions.TryParseAppVersion(Read(root, "app_version", "appVersion"), out var appVersion))
                return BadAppVersion();
            var label = Read(root, "label", "label");
            if (label is null)
                return await PublishAsync(key, clientId, appVersion.ToString(), null, null, cancellationToken); // the binary's own bundle: nothing to count
            if (!CodePushRelease.TryParseLabel(label, out _))
                return DeviceResponse.Error(400, CodePushErrors.InvalidLabel, "label must be a release label such as v3.");
            var action = Read(root, "status", "status") switch
            {
                DeploymentSucceeded => "set",
                DeploymentFailed => "set_fail",
                _ => null,
            };
            if (action is null)
                return DeviceResponse.Error(400, CodePushErrors.InvalidStatus, "A report about a release needs status DeploymentSucceeded or DeploymentFailed.");
            return await PublishAsync(key, clientId, appVersion.ToString(), label, action, cancellationToken);
        }, cancellationToken);

    /// <summary><c>POST report_status/download</c>: a release downloaded by a device.</summary>
    public ValueTask<DeviceResponse> ReportDownloadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        ReportAsync(body, async (root, key, clientId) =>
        {
            var label = Read(root, "label", "label");
            if (!CodePushRelease.TryParseLabel(label, out _))
                return DeviceResponse.Error(400, CodePushErrors.InvalidLabel, "A download report needs the label of the release, such as v3.");
            return await PublishAsync(key, clientId, null, label, "download_complete", cancellationToken);
        }, cancellationToken);

    /// <summary>What both reports share: a JSON object body with a known deployment key and a well-formed client id.</summary>
    private async ValueTask<DeviceResponse> ReportAsync(
        ReadOnlyMemory<byte> body, Func<JsonElement, DeploymentKey, string, ValueTask<DeviceResponse>> handle, CancellationToken cancellationToken)
    {
        if (!DeviceBody.TryParse(body, out var document, out var parseError))
            return DeviceResponse.Error(400, parseError);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return DeviceResponse.Error(400, DeviceErrors.InvalidJsonBody, "The body must be a JSON object.");
            var (key, failure) = await FindKeyAsync(Read(root, "deployment_key", "deploymentKey"), cancellationToken);
            if (failure is not null)
                return failure;
            if (!TryReadClientId(Read(root, "client_unique_id", "clientUniqueId"), out var clientId))
                return BadClientId();
            return await handle(root, key!, clientId);
        }
    }

    private async ValueTask<DeviceResponse> PublishAsync(
        DeploymentKey key, string clientId, string? appVersion, string? label, string? action, CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(key.AppId, clientId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);
        if (action is null)
            return Ok;
        var loaded = await LoadAsync(key, cancellationToken);
        if (loaded.Failure is not null)
            return loaded.Failure;
        // A label this channel never had (a device moved over from another server) is acknowledged, not counted.
        if (!CodePushRelease.TryParseLabel(label, out var number) || loaded.History!.For(key.Channel)?.FindByNumber(number) is not { } release)
            return Ok;

        var device = DeviceOf(key, clientId, appVersion ?? "0.0.0", release.Bundle);
        var scratch = new string[MetricsFold.MaxSegmentsPerEvent];
        var segments = loaded.App!.MatchSegments(device, key.Channel, scratch);
        var statsEvent = new StatsEvent(device, action, release.Bundle, null, null,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["codepush_label"] = release.Label },
            clock.GetUtcNow(), key.Channel, segments == 0 ? null : scratch.AsSpan(0, segments).ToArray());
        try
        {
            await publisher.PublishAsync([statsEvent], cancellationToken);
            return Ok;
        }
        catch (TelemetryUnavailableException)
        {
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
    }

    private async ValueTask<DeviceResponse> ToResponseAsync(AppSnapshot app, CodePushAnswer answer, CodePushDialect dialect, CancellationToken cancellationToken)
    {
        var url = "";
        long size = 0;
        if (answer.Release is { } release)
        {
            if (app.FindBundle(release.Bundle) is not { } bundle)
                return DeviceResponse.Error(404, Management.ManagementErrors.BundleNotFound, $"The bundle of release {release.Label} is gone.");
            try
            {
                url = bundle.ExternalUrl ?? (await urls.GetSignerAsync(cancellationToken)).GetUrl(bundle.BlobPath!);
            }
            catch (StorageUnavailableException)
            {
                return DeviceResponse.Unavailable(RetryAfterSeconds);
            }
            size = release.Size;
        }
        var r = answer.Release;
        return dialect == CodePushDialect.SnakeCase
            ? DeviceResponse.Json(200, new UpdateCheckBody(new UpdateInfoBody(url, r?.Description ?? "", answer.IsAvailable, false,
                answer.IsMandatory, answer.AppVersion, answer.AppVersion, r?.Label ?? "", r?.PackageHash ?? "", size,
                answer.ShouldRunBinaryVersion, answer.UpdateAppVersion)), CodePushJsonContext.Default.UpdateCheckBody)
            : DeviceResponse.Json(200, new LegacyUpdateCheckBody(new LegacyUpdateInfoBody(url, r?.Description ?? "", answer.IsAvailable, false,
                answer.IsMandatory, answer.AppVersion, r?.Label ?? "", r?.PackageHash ?? "", size,
                answer.ShouldRunBinaryVersion, answer.UpdateAppVersion)), CodePushJsonContext.Default.LegacyUpdateCheckBody);
    }

    private async ValueTask<(DeploymentKey? Key, DeviceResponse? Failure)> FindKeyAsync(string? key, CancellationToken cancellationToken)
    {
        if (key is null)
            return (null, DeviceResponse.Error(400, CodePushErrors.MissingDeploymentKey, "deployment_key is required: the deployment key the app was built with."));
        if (!DeploymentKey.IsWellFormed(key))
            return (null, DeviceResponse.Error(400, CodePushErrors.InvalidDeploymentKey, "deployment_key must be 10-100 letters, digits, '-' or '_'."));
        try
        {
            return await directory.FindKeyAsync(DeploymentKey.HashOf(key), cancellationToken) is { } found
                ? (found, null)
                : (null, DeviceResponse.Error(404, CodePushErrors.DeploymentKeyNotFound, "No deployment has this deployment key: check the key the app was built with."));
        }
        catch (StorageUnavailableException)
        {
            return (null, DeviceResponse.Unavailable(RetryAfterSeconds));
        }
    }

    private async ValueTask<(AppSnapshot? App, CodePushHistory? History, DeviceResponse? Failure)> LoadAsync(DeploymentKey key, CancellationToken cancellationToken)
    {
        try
        {
            var app = await snapshots.GetAsync(key.AppId, cancellationToken);
            if (app is null)
                return (null, null, DeviceResponse.AppNotFound(key.AppId));
            return (app, await directory.GetHistoryAsync(key.AppId, cancellationToken), null);
        }
        catch (StorageUnavailableException)
        {
            return (null, null, DeviceResponse.Unavailable(RetryAfterSeconds));
        }
    }

    /// <summary>
    /// The bundle the channel serves this device: its rollout's choice, bucketed on the client id. A device that sends
    /// no client id cannot be bucketed, so it stays on the baseline while a rollout runs.
    /// </summary>
    private static string? BundleFor(AppSnapshot app, ChannelDefinition channel, DeviceInfo device)
    {
        if (app.FindRolloutPlan(channel.Name) is not { } plan)
            return channel.Bundle;
        return device.DeviceId.Length == 0 && plan.Rollout.State is Rollouts.RolloutState.Running or Rollouts.RolloutState.Paused
            ? plan.Rollout.BaselineBundle
            : plan.BundleFor(device, channel.Name);
    }

    /// <summary>The device as channels, segments and rollouts see it: its client id, the key's platform, its binary version.</summary>
    private static DeviceInfo DeviceOf(DeploymentKey key, string clientId, string binaryVersion, string? running) =>
        new(key.AppId, clientId, key.Platform, running ?? binaryVersion, binaryVersion);

    private static bool TryReadClientId(string? value, out string clientId)
    {
        clientId = "";
        if (value is null)
            return true; // optional in the client; such devices share one rate-limit window and stay on a rollout's baseline
        if (value.Length is 0 or > MaxClientIdLength)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
                return false;
        }
        clientId = value.ToLowerInvariant();
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsHash(string value) =>
        value.Length is > 0 and <= MaxPackageHashLength && !value.AsSpan().ContainsAnyExcept(HexDigits);

    private static DeviceResponse BadAppVersion() => DeviceResponse.Error(400, CodePushErrors.InvalidAppVersion,
        "app_version must be the binary's semver version (e.g. 1.2.0; 1 and 1.2 are read as 1.0.0 and 1.2.0).");

    private static DeviceResponse BadClientId() => DeviceResponse.Error(400, CodePushErrors.InvalidClientUniqueId,
        $"client_unique_id must be 1-{MaxClientIdLength} letters, digits, '-', '_', '.' or ':'.");

    private static string? Read(IReadOnlyDictionary<string, string?> query, string snake, string camel) =>
        query.TryGetValue(snake, out var value) && !string.IsNullOrEmpty(value) ? value
        : query.TryGetValue(camel, out value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string? Read(JsonElement body, string snake, string camel) =>
        (body.TryGetProperty(snake, out var value) || body.TryGetProperty(camel, out value)) && value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: > 0 } text ? text : null
            : null;
}
