using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>How one segment fares on one bundle of one channel since a point in time: what rollout gates read.</summary>
/// <param name="Attempts">Update attempts: installs plus failed installs and downloads (see <see cref="MetricCounters.Attempts"/>).</param>
/// <param name="Failures">Failed attempts: <c>update_fail</c>, <c>set_fail</c> and failed downloads (<see cref="MetricCounters.DownloadFailures"/>).</param>
/// <param name="CheckFailures">Failed update checks of devices running the bundle (<see cref="MetricCounters.CheckFailures"/>): shown, never judged.</param>
public sealed record SegmentHealth(string Channel, string Bundle, string Segment, long Attempts, long Failures, long Installs, long UniqueDevices, long CheckFailures = 0)
{
    public double? FailureRate => Attempts == 0 ? null : Math.Clamp((double)Failures / Attempts, 0, 1);
}

/// <summary>The health numbers rollout gates decide on.</summary>
public interface IRolloutHealthSource
{
    Task<SegmentHealth> GetHealthAsync(string appId, string channel, string bundleVersion, string segment, DateTimeOffset since, CancellationToken cancellationToken);
}

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
