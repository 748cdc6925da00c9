namespace UpdateFunctions.Core.Telemetry;

/// <summary>The numbers of one bucket of one series.</summary>
/// <param name="Failures">Failed installs and downloads (<see cref="MetricCounters.Failures"/>): what rollout gates read.</param>
/// <param name="CheckFailures">Failed update checks reported by devices running the bundle (<see cref="MetricCounters.CheckFailures"/>): shown, never gated.</param>
/// <param name="DownloadFailures">The part of <paramref name="Failures"/> that are failed downloads of the bundle.</param>
/// <param name="InstallFailures">The part that are failed installs (<c>set_fail</c>).</param>
/// <param name="Rollbacks">The part that are failed starts: set, then rolled back by the plugin (<c>update_fail</c>).</param>
public sealed record MetricsPoint(
    DateTimeOffset? Bucket,
    long Installs,
    long Attempts,
    long Failures,
    double? FailureRate,
    double? SuccessRate,
    long UniqueDevices,
    double? Adoption,
    long Downloads,
    long Launches,
    long Sessions,
    long Crashes,
    long Other,
    long Events,
    long CheckFailures = 0,
    long DownloadFailures = 0,
    long InstallFailures = 0,
    long Rollbacks = 0);

/// <summary>One group (the dimensions not grouped by are null) with its buckets and its total.</summary>
public sealed record MetricsSeries(string? Channel, string? Platform, string? Bundle, string Segment, MetricsPoint Total, IReadOnlyList<MetricsPoint> Points);

/// <summary>The answer to a <see cref="MetricsQuery"/>.</summary>
public sealed record MetricsReport(string AppId, DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<string> GroupBy, IReadOnlyList<MetricsSeries> Series);
