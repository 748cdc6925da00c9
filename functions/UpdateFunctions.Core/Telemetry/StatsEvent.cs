using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>One event a device reported through <c>POST /stats</c>, validated and stamped with its receive time.</summary>
/// <param name="VersionName">The bundle the event is about; per-file failures use <c>"&lt;version&gt;:&lt;file&gt;"</c>.</param>
/// <param name="Timestamp">Device clock, milliseconds since the epoch, when sent.</param>
/// <param name="Channel">The channel the device was on when the event arrived (resolved as for an update check), if any.</param>
/// <param name="Segments">The app's segments the device matched when the event arrived (at most <see cref="MetricsFold.MaxSegmentsPerEvent"/>);
/// stamped at the edge so a batch replayed after the rules changed still lands in the same rows.</param>
public sealed record StatsEvent(
    DeviceInfo Device,
    string Action,
    string VersionName,
    string? OldVersionName,
    long? Timestamp,
    IReadOnlyDictionary<string, string>? Metadata,
    DateTimeOffset ReceivedAt,
    string? Channel = null,
    IReadOnlyList<string>? Segments = null);
