using System.Runtime.InteropServices;
using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Devices;

/// <summary>
/// <c>POST /stats</c>: validates one event (older plugins) or an array of events (v8), stamps the receive time
/// and hands the valid ones to the telemetry pipeline. It answers before any aggregation happens.
/// </summary>
public sealed class StatsHandler(IAppSnapshotSource snapshots, ITelemetryPublisher publisher, UpdateDecider decider, DeviceRateLimiter limiter, TimeProvider clock)
{
    /// <summary>The v8 plugin sends up to ~200 events per call; anything far beyond that is not a plugin.</summary>
    public const int MaxEventsPerRequest = 1000;
    public const int MaxActionLength = 64;
    public const int MaxMetadataPairs = 30;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// The most JSON one event may take. Far more than the field limits allow a plugin's event to reach, and far under
    /// what one Event Hubs message takes (256 KiB on Basic, 1 MiB on Standard) even when escaping triples it, so an
    /// accepted event is always published: a larger one is refused by name, never dropped behind an <c>ok</c>.
    /// </summary>
    public const int MaxEventBytes = 64 * 1024;

    private static readonly DeviceResponse Ok = DeviceResponse.Json(200, new StatusBody("ok"), DeviceJsonContext.Default.StatusBody);

    public async ValueTask<DeviceResponse> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!DeviceBody.TryParse(body, out var document, out var parseError))
            return DeviceResponse.Error(400, parseError);
        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Object => await HandleSingleAsync(root, cancellationToken),
                JsonValueKind.Array => await HandleBatchAsync(root, cancellationToken),
                _ => DeviceResponse.Error(400, DeviceInfoReader.Invalid("The body must be a stats event object or an array of them.")),
            };
        }
    }

    private async ValueTask<DeviceResponse> HandleSingleAsync(JsonElement element, CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        if (!TryReadEvent(element, receivedAt, out var statsEvent, out var error))
            return DeviceResponse.Error(400, error);
        if (!limiter.TryAcquire(statsEvent.Device.AppId, statsEvent.Device.DeviceId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);
        var (app, failure) = await FindAppAsync(statsEvent.Device.AppId, cancellationToken);
        if (failure is not null)
            return failure;
        return await PublishAsync([WithChannel(app!, statsEvent, new string[MetricsFold.MaxSegmentsPerEvent])], Ok, cancellationToken);
    }

    private async ValueTask<DeviceResponse> HandleBatchAsync(JsonElement array, CancellationToken cancellationToken)
    {
        var count = array.GetArrayLength();
        if (count > MaxEventsPerRequest)
            return DeviceResponse.Error(400, DeviceInfoReader.Invalid($"A stats batch holds at most {MaxEventsPerRequest} events; got {count}."));

        // One app per batch: the plugin never mixes them, and one snapshot lookup then covers every event.
        string? appId = null;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("app_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var value = id.GetString();
                if (appId is null) appId = value;
                else if (!string.Equals(appId, value, StringComparison.Ordinal))
                    return DeviceResponse.Error(200, DeviceErrors.MixedAppIds, "All events of one batch must have the same app_id.");
            }
        }
        AppSnapshot? app = null;
        if (appId is not null && DeviceInfoReader.IsValidAppId(appId))
        {
            (app, var failure) = await FindAppAsync(appId, cancellationToken);
            if (failure is not null)
                return failure;
        }

        var receivedAt = clock.GetUtcNow();
        var scratch = new string[MetricsFold.MaxSegmentsPerEvent];
        var results = new StatsEventResult[count];
        var accepted = new List<StatsEvent>(count);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (TryReadEvent(element, receivedAt, out var statsEvent, out var error))
            {
                // Every valid event has the batch's (valid) app id, so the snapshot is there.
                accepted.Add(WithChannel(app!, statsEvent, scratch));
                results[index] = new StatsEventResult("ok", index);
            }
            else
            {
                results[index] = new StatsEventResult("error", index, error.Code, error.Message);
            }
            index++;
        }

        // A batch comes from one device: it counts as one call of the first device it names.
        if (accepted.Count > 0 && !limiter.TryAcquire(accepted[0].Device.AppId, accepted[0].Device.DeviceId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);

        var answer = DeviceResponse.Json(200, new StatsBatchBody("ok", results), DeviceErrorJsonContext.Readable.StatsBatchBody);
        return accepted.Count == 0 ? answer : await PublishAsync(accepted, answer, cancellationToken);
    }

    private async ValueTask<(AppSnapshot? App, DeviceResponse? Failure)> FindAppAsync(string appId, CancellationToken cancellationToken)
    {
        AppSnapshot? app;
        try
        {
            app = await snapshots.GetAsync(appId, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            return (null, DeviceResponse.Unavailable(RetryAfterSeconds));
        }
        return app is null ? (null, DeviceResponse.AppNotFound(appId)) : (app, null);
    }

    /// <summary>
    /// Stamps the channel the device is on now, resolved exactly as its update check is (so metrics and rollout gates
    /// count devices of the public default channel too, which send no <c>defaultChannel</c>), and the segments it
    /// matches now (at most <see cref="MetricsFold.MaxSegmentsPerEvent"/>, in name order).
    /// </summary>
    private StatsEvent WithChannel(AppSnapshot app, StatsEvent statsEvent, string[] scratch)
    {
        // "" when nothing resolves: a channel name the device made up must not become a metrics key of its own.
        var channel = decider.ResolveChannel(app, statsEvent.Device).Channel?.Name ?? "";
        if (app.Segments.Count == 0)
            return statsEvent with { Channel = channel };
        var count = app.MatchSegments(statsEvent.Device, channel, scratch);
        return statsEvent with { Channel = channel, Segments = count == 0 ? null : scratch.AsSpan(0, count).ToArray() };
    }

    private async ValueTask<DeviceResponse> PublishAsync(IReadOnlyList<StatsEvent> events, DeviceResponse answer, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(events, cancellationToken);
            return answer;
        }
        catch (TelemetryUnavailableException)
        {
            // The plugin retries 5xx honouring Retry-After: better than silently dropping the events.
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
    }

    /// <summary>Validates one stats event: the device info plus <c>action</c>, <c>old_version_name</c>, <c>timestamp</c>, <c>metadata</c>.</summary>
    public static bool TryReadEvent(JsonElement element, DateTimeOffset receivedAt, out StatsEvent statsEvent, out ProtocolError error)
    {
        statsEvent = null!;
        var size = JsonMarshal.GetRawUtf8Value(element).Length;
        if (size > MaxEventBytes)
        {
            error = new ProtocolError(DeviceErrors.EventTooLarge, $"A stats event is at most {MaxEventBytes} bytes of JSON; this one is {size}.");
            return false;
        }
        if (!DeviceInfoReader.TryRead(element, VersionNameRule.Free, out var device, out error))
            return false;

        if (!DeviceInfoReader.TryReadString(element, "action", MaxActionLength, out var action, out error))
            return false;
        if (action is null)
        {
            error = DeviceInfoReader.Invalid("action is required.");
            return false;
        }
        if (!DeviceInfoReader.TryReadString(element, "old_version_name", DeviceInfoReader.MaxStatsVersionNameLength, out var oldVersionName, out error))
            return false;

        long? timestamp = null;
        if (element.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            if (ts.ValueKind != JsonValueKind.Number || !ts.TryGetInt64(out var ms) || ms < 0)
            {
                error = DeviceInfoReader.Invalid("timestamp must be a non-negative whole number of milliseconds.");
                return false;
            }
            timestamp = ms;
        }

        if (!TryReadMetadata(element, out var metadata, out error))
            return false;

        // Events are about a bundle; with "builtin" the device info reader already substituted version_build.
        statsEvent = new StatsEvent(device, action, device.VersionName, oldVersionName, timestamp, metadata, receivedAt);
        return true;
    }

    private static bool TryReadMetadata(JsonElement element, out IReadOnlyDictionary<string, string>? metadata, out ProtocolError error)
    {
        metadata = null;
        error = null!;
        if (!element.TryGetProperty("metadata", out var value) || value.ValueKind == JsonValueKind.Null)
            return true;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = DeviceInfoReader.Invalid("metadata must be an object of string values.");
            return false;
        }
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (pairs.Count == MaxMetadataPairs)
            {
                error = DeviceInfoReader.Invalid($"metadata holds at most {MaxMetadataPairs} pairs.");
                return false;
            }
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                error = DeviceInfoReader.Invalid($"metadata.{Truncate(property.Name)} must be a string.");
                return false;
            }
            var text = property.Value.GetString()!;
            if (property.Name.Length > MaxMetadataKeyLength || text.Length > MaxMetadataValueLength)
            {
                error = DeviceInfoReader.Invalid($"metadata keys are at most {MaxMetadataKeyLength} and values {MaxMetadataValueLength} characters.");
                return false;
            }
            pairs[property.Name] = text;
        }
        metadata = pairs;
        return true;
    }

    private static string Truncate(string value) => value.Length <= MaxMetadataKeyLength ? value : value[..MaxMetadataKeyLength];
}
