namespace UpdateFunctions.Core.Telemetry;

/// <summary>The numbers of one bucket of one series.</summary>
/// <param name="Failures">Failed installs and downloads (<see cref="MetricCounters.Failures"/>): what rollout gates read.</param>
/// <param name="CheckFailures">Failed update checks reported by devices running the bundle (<see cref="MetricCounters.CheckFailures"/>): shown, never gated.</param>
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
    long CheckFailures = 0);

/// <summary>One group (the dimensions not grouped by are null) with its buckets and its total.</summary>
public sealed record MetricsSeries(string? Channel, string? Platform, string? Bundle, string Segment, MetricsPoint Total, IReadOnlyList<MetricsPoint> Points);

/// <summary>The answer to a <see cref="MetricsQuery"/>.</summary>
public sealed record MetricsReport(string AppId, DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<string> GroupBy, IReadOnlyList<MetricsSeries> Series);
