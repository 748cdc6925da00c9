using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>Dimensions a metrics query can group by.</summary>
[Flags]
public enum MetricsDimensions
{
    None = 0,
    Channel = 1,
    Platform = 2,
    Bundle = 4,
    Segment = 8,
}

/// <summary>Time bucket of a metrics query.</summary>
public enum MetricsInterval
{
    Hour,
    Day,
    /// <summary>One bucket for the whole range.</summary>
    Total,
}

/// <summary>A group of a rollup: the dimensions not grouped by are null; <see cref="Bucket"/> is null for <see cref="MetricsInterval.Total"/>.</summary>
public readonly record struct MetricsGroup(DateTimeOffset? Bucket, string? Channel, Platform? Platform, string? Bundle, string Segment);

/// <summary>
/// Query maths over stored rows: sums across Event Hubs partitions and hours (counters add, sketches union),
/// adoption, and the rates on <see cref="MetricCounters"/>.
/// </summary>
/// <remarks>
/// An event counts once in <see cref="MetricKey.AllSegment"/> and once in each of its other segments, so counters are
/// only summed within one segment: without grouping by segment a rollup reads one segment (the totals by default).
/// </remarks>
public static class MetricsRollup
{
    /// <summary>Sums rows into groups.</summary>
    public static IReadOnlyDictionary<MetricsGroup, MetricCounters> Rollup(
        IEnumerable<MetricsRow> rows,
        MetricsDimensions groupBy,
        MetricsInterval interval,
        string segment = MetricKey.AllSegment)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(segment);
        var bySegment = groupBy.HasFlag(MetricsDimensions.Segment);
        var groups = new Dictionary<MetricsGroup, MetricCounters>();
        foreach (var row in rows)
        {
            var key = row.Key;
            if (!bySegment && key.Segment != segment)
                continue;
            var group = new MetricsGroup(
                interval switch
                {
                    MetricsInterval.Hour => key.HourStart,
                    MetricsInterval.Day => new DateTimeOffset(key.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    _ => null,
                },
                groupBy.HasFlag(MetricsDimensions.Channel) ? key.Channel : null,
                groupBy.HasFlag(MetricsDimensions.Platform) ? key.Platform : null,
                groupBy.HasFlag(MetricsDimensions.Bundle) ? key.BundleVersion : null,
                key.Segment);
            if (!groups.TryGetValue(group, out var total))
                groups[group] = total = new MetricCounters();
            total.Merge(row.Counters);
        }

        return groups;
    }

    /// <summary>
    /// The daily rows of hourly rows: one per (app, day, channel, platform, bundle, segment), every hour and partition
    /// summed (counters add, device sketches union), with <see cref="MetricsRow.DailyPartitionId"/> and hour 0.
    /// Daily rows given in are summed as they are.
    /// </summary>
    public static IReadOnlyList<MetricsRow> Daily(IEnumerable<MetricsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var days = new Dictionary<MetricKey, MetricCounters>();
        foreach (var row in rows)
        {
            var key = row.Key with { Hour = 0 };
            if (!days.TryGetValue(key, out var total))
                days[key] = total = new MetricCounters();
            total.Merge(row.Counters);
        }
        return [.. days.Select(pair => new MetricsRow(pair.Key, MetricsRow.DailyPartitionId, long.MinValue, pair.Value))];
    }

    /// <summary>All rows of one segment summed: every partition, hour, channel, platform and bundle.</summary>
    public static MetricCounters Total(IEnumerable<MetricsRow> rows, string segment = MetricKey.AllSegment) =>
        Rollup(rows, MetricsDimensions.None, MetricsInterval.Total, segment).Values.SingleOrDefault() ?? new MetricCounters();

    /// <summary>
    /// Adoption of a bundle: distinct devices seen running it and not rolled back off it (<c>update_fail</c>) / distinct
    /// devices seen running any bundle, over the
    /// rows given (one segment). Null when no device was active. Both counts are HyperLogLog unions, so each is within
    /// a few standard errors (1.6 % at precision 12) of the truth.
    /// </summary>
    public static double? Adoption(IEnumerable<MetricsRow> rows, string bundleVersion, string segment = MetricKey.AllSegment)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(bundleVersion);
        var onBundle = new MetricCounters();
        var active = new HyperLogLog();
        foreach (var row in rows)
        {
            if (row.Key.Segment != segment)
                continue;
            active.Merge(row.Counters.Devices);
            if (row.Key.BundleVersion == bundleVersion)
                onBundle.Merge(row.Counters);
        }

        var denominator = active.Estimate();
        return denominator < 0.5 ? null : Math.Clamp(onBundle.UniqueDevices / denominator, 0, 1);
    }
}
