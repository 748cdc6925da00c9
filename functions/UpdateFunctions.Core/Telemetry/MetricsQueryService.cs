using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// Answers metrics queries from stored rows: sums across Event Hubs partitions and hours, unions the unique-device
/// sketches, and computes adoption (unique devices on a bundle / unique active devices in the same bucket, channel,
/// platform and segment) and success rate (installs / (installs + failures)).
/// </summary>
public sealed class MetricsQueryService(IMetricsStore store)
{
    public async Task<MetricsReport> QueryAsync(MetricsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var fromHour = TruncateToHour(query.From);
        // A daily row (past the hourly retention) counts whole when its day overlaps the range.
        var fromDay = new DateTimeOffset(fromHour.UtcDateTime.Date, TimeSpan.Zero);
        var rows = (await store.QueryAsync(query.AppId, fromHour, query.To, cancellationToken))
            .Where(r => r.Key.HourStart >= (r.IsDaily ? fromDay : fromHour) && r.Key.HourStart < query.To)
            .ToList();

        var buckets = MetricsRollup.Rollup(rows, query.GroupBy, query.Interval, query.Segment);
        var totals = MetricsRollup.Rollup(rows, query.GroupBy, MetricsInterval.Total, query.Segment);
        // Adoption's denominator: every bundle's devices in the same bucket and the other grouped dimensions.
        var withoutBundle = query.GroupBy & ~MetricsDimensions.Bundle;
        var activeByBucket = MetricsRollup.Rollup(rows, withoutBundle, query.Interval, query.Segment);
        var activeTotal = MetricsRollup.Rollup(rows, withoutBundle, MetricsInterval.Total, query.Segment);
        var byBundle = query.GroupBy.HasFlag(MetricsDimensions.Bundle);

        var series = totals
            .OrderBy(g => g.Key.Channel, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Platform?.ToWire(), StringComparer.Ordinal)
            .ThenBy(g => g.Key.Bundle, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Segment, StringComparer.Ordinal)
            .Select(total =>
            {
                var points = buckets
                    .Where(b => b.Key with { Bucket = null } == total.Key)
                    .OrderBy(b => b.Key.Bucket)
                    .Select(b => Point(b.Key.Bucket, b.Value, byBundle ? activeByBucket.GetValueOrDefault(b.Key with { Bundle = null }) : null))
                    .ToList();
                return new MetricsSeries(
                    total.Key.Channel,
                    total.Key.Platform?.ToWire(),
                    total.Key.Bundle,
                    total.Key.Segment,
                    Point(null, total.Value, byBundle ? activeTotal.GetValueOrDefault(total.Key with { Bundle = null }) : null),
                    points);
            })
            .ToList();

        return new MetricsReport(query.AppId, query.From, query.To, query.Interval.ToString().ToLowerInvariant(),
            DimensionNames(query.GroupBy), series);
    }

    private static MetricsPoint Point(DateTimeOffset? bucket, MetricCounters counters, MetricCounters? active)
    {
        var unique = counters.UniqueDevices;
        var activeDevices = active?.ActiveDevices ?? 0;
        return new MetricsPoint(
            bucket,
            counters.Installs,
            counters.Attempts,
            counters.Failures,
            counters.FailureRate,
            counters.SuccessRate,
            unique,
            active is null || activeDevices == 0 ? null : Math.Clamp((double)unique / activeDevices, 0, 1),
            counters.DownloadsCompleted,
            counters.Launches,
            counters.Sessions,
            counters.Crashes,
            counters.Others,
            counters.Events,
            counters.CheckFailures,
            counters.DownloadFailures,
            counters[MetricCounter.SetFail],
            counters[MetricCounter.UpdateFail]);
    }

    private static DateTimeOffset TruncateToHour(DateTimeOffset time) =>
        new(time.UtcDateTime.Year, time.UtcDateTime.Month, time.UtcDateTime.Day, time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    private static string[] DimensionNames(MetricsDimensions groupBy) =>
        [.. new[] { (MetricsDimensions.Channel, "channel"), (MetricsDimensions.Platform, "platform"), (MetricsDimensions.Bundle, "bundle"), (MetricsDimensions.Segment, "segment") }
            .Where(d => groupBy.HasFlag(d.Item1)).Select(d => d.Item2)];
}
