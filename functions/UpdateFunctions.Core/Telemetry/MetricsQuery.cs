using System.Globalization;
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
