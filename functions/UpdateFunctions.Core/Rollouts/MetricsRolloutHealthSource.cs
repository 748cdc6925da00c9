using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Rollouts;

/// <summary><see cref="IRolloutHealthSource"/> over the aggregated metrics (summed across partitions and hours).</summary>
public sealed class MetricsRolloutHealthSource(IMetricsStore store, TimeProvider clock) : IRolloutHealthSource
{
    public async Task<SegmentHealth> GetHealthAsync(string appId, string channel, string bundleVersion, string segment, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Hour granularity: the hour the step started in counts whole, erring towards more samples.
        var sinceHour = new DateTimeOffset(since.UtcDateTime.Date.AddHours(since.UtcDateTime.Hour), TimeSpan.Zero);
        var rows = await store.QueryAsync(appId, sinceHour, now.AddHours(1), cancellationToken);
        var total = new MetricCounters();
        foreach (var row in rows)
        {
            if (row.Key.HourStart >= sinceHour && row.Key.Channel == channel && row.Key.BundleVersion == bundleVersion && row.Key.Segment == segment)
                total.Merge(row.Counters);
        }
        return new SegmentHealth(channel, bundleVersion, segment, total.Attempts, total.Failures, total.Installs, total.UniqueDevices, total.CheckFailures);
    }
}
