using System.Globalization;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>A metrics question: one app, a time range, how to group and bucket.</summary>
public sealed record MetricsQuery(
    string AppId,
    DateTimeOffset From,
    DateTimeOffset To,
    MetricsDimensions GroupBy,
    MetricsInterval Interval,
    string Segment = MetricKey.AllSegment)
{
    /// <summary>
    /// Longest range one query may read: 13 months and a few days, the daily retention. Past the hourly retention (30
    /// days) a day is one row per key, so the work stays bounded by about 30 days of hourly rows plus a row per day.
    /// </summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    /// <summary>Longest range with hourly buckets.</summary>
    public static readonly TimeSpan MaxHourlyRange = TimeSpan.FromDays(14);

    /// <summary>
    /// Reads <c>from</c>, <c>to</c> (ISO 8601; default: the last 24 hours), <c>groupBy</c> (comma list of
    /// <c>channel,platform,bundle,segment</c>), <c>interval</c> (<c>hour</c>, <c>day</c> or <c>total</c>; default hour)
    /// and <c>segment</c> (default <c>all</c>).
    /// </summary>
    public static bool TryParse(string appId, IReadOnlyDictionary<string, string?> query, DateTimeOffset now, out MetricsQuery parsed, out ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(query);
        parsed = null!;
        error = null!;
        if (!DeviceInfoReader.IsValidAppId(appId))
            return Fail("invalid_id", "The app id is not a reverse-domain id.", out error);

        var to = now;
        var from = now.AddDays(-1);
        if (query.TryGetValue("to", out var toText) && !string.IsNullOrEmpty(toText)
            && !DateTimeOffset.TryParse(toText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out to))
            return Fail("invalid_query", "to must be an ISO 8601 date or time.", out error);
        if (query.TryGetValue("from", out var fromText) && !string.IsNullOrEmpty(fromText))
        {
            if (!DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
                return Fail("invalid_query", "from must be an ISO 8601 date or time.", out error);
        }
        else
        {
            from = to.AddDays(-1);
        }
        if (from >= to)
            return Fail("invalid_query", "from must be before to.", out error);

        var interval = MetricsInterval.Hour;
        if (query.TryGetValue("interval", out var intervalText) && !string.IsNullOrEmpty(intervalText))
        {
            interval = intervalText switch
            {
                "hour" => MetricsInterval.Hour,
                "day" => MetricsInterval.Day,
                "total" => MetricsInterval.Total,
                _ => (MetricsInterval)(-1),
            };
            if ((int)interval < 0)
                return Fail("invalid_query", "interval must be hour, day or total.", out error);
        }
        if (to - from > MaxRange)
            return Fail("invalid_query", $"A query spans at most {MaxRange.TotalDays} days.", out error);
        if (interval == MetricsInterval.Hour && to - from > MaxHourlyRange)
            return Fail("invalid_query", $"Hourly buckets span at most {MaxHourlyRange.TotalDays} days; use interval=day.", out error);

        var groupBy = MetricsDimensions.None;
        if (query.TryGetValue("groupBy", out var groupText) && !string.IsNullOrEmpty(groupText))
        {
            foreach (var part in groupText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var dimension = part switch
                {
                    "channel" => MetricsDimensions.Channel,
                    "platform" => MetricsDimensions.Platform,
                    "bundle" => MetricsDimensions.Bundle,
                    "segment" => MetricsDimensions.Segment,
                    _ => MetricsDimensions.None,
                };
                if (dimension == MetricsDimensions.None)
                    return Fail("invalid_query", $"groupBy takes channel, platform, bundle and segment; not '{part}'.", out error);
                groupBy |= dimension;
            }
        }

        var segment = query.TryGetValue("segment", out var segmentText) && !string.IsNullOrEmpty(segmentText) ? segmentText : MetricKey.AllSegment;
        if (segment.Length > 64)
            return Fail("invalid_query", "segment is at most 64 characters.", out error);

        parsed = new MetricsQuery(appId, from, to, groupBy, interval, segment);
        return true;
    }

    private static bool Fail(string code, string message, out ProtocolError error)
    {
        error = new ProtocolError(code, message);
        return false;
    }
}

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
            counters.CheckFailures);
    }

    private static DateTimeOffset TruncateToHour(DateTimeOffset time) =>
        new(time.UtcDateTime.Year, time.UtcDateTime.Month, time.UtcDateTime.Day, time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    private static string[] DimensionNames(MetricsDimensions groupBy) =>
        [.. new[] { (MetricsDimensions.Channel, "channel"), (MetricsDimensions.Platform, "platform"), (MetricsDimensions.Bundle, "bundle"), (MetricsDimensions.Segment, "segment") }
            .Where(d => groupBy.HasFlag(d.Item1)).Select(d => d.Item2)];
}
