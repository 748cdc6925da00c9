using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.LocalHost.Telemetry;

/// <summary>
/// LocalHost's stand-in for the Event Hubs publisher until the in-process transport exists: it keeps a count per
/// action and logs each batch, so a developer sees the plugin's events arrive.
/// </summary>
internal sealed partial class CountingTelemetryPublisher(ILogger<CountingTelemetryPublisher> logger) : ITelemetryPublisher
{
    private long _published;

    public long Published => Interlocked.Read(ref _published);

    public ValueTask PublishAsync(IReadOnlyList<StatsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var total = Interlocked.Add(ref _published, events.Count);
        foreach (var e in events)
            LogEvent(logger, e.Device.AppId, e.Device.DeviceId, e.Action, e.VersionName);
        LogBatch(logger, events.Count, total);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "stats {AppId} {DeviceId} {Action} {VersionName}")]
    private static partial void LogEvent(ILogger logger, string appId, string deviceId, string action, string versionName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {Count} stats events ({Total} since start)")]
    private static partial void LogBatch(ILogger logger, int count, long total);
}
