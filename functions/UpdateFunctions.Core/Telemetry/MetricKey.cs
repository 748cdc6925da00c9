using System.IO.Hashing;
using System.Text;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// What one metrics row counts: an app's events in one UTC hour, for one channel, platform, bundle and segment.
/// (The stored row adds the Event Hubs partition that wrote it.)
/// </summary>
/// <param name="Channel">The device's effective channel when the event arrived (else the <c>defaultChannel</c> it asked for), or <see cref="UnspecifiedChannel"/>
/// when it asked for none (it then gets an admin override or the app's public default, which the event does not say).</param>
/// <param name="BundleVersion">The event's <c>version_name</c> without a per-file <c>":&lt;file&gt;"</c> suffix.</param>
/// <param name="Segment">A segment name, or <see cref="AllSegment"/> for the row every event counts in.</param>
public readonly record struct MetricKey(
    string AppId,
    DateOnly Day,
    int Hour,
    string Channel,
    Platform Platform,
    string BundleVersion,
    string Segment)
{
    /// <summary>The segment every event counts in: the totals. Sum counters within one segment only.</summary>
    public const string AllSegment = "all";

    /// <summary>Channel value for devices that sent no <c>defaultChannel</c>.</summary>
    public const string UnspecifiedChannel = "";

    /// <summary>Longest dimension value kept as is; longer ones are shortened with a hash suffix (storage keys are ≤ 1 KiB).</summary>
    public const int MaxDimensionLength = 128;

    /// <summary>The start of the key's hour.</summary>
    public DateTimeOffset HourStart => new(Day.ToDateTime(new TimeOnly(Hour, 0)), TimeSpan.Zero);

    /// <summary>The bundle a <c>version_name</c> is about: per-file failures send <c>"&lt;version&gt;:&lt;file&gt;"</c>.</summary>
    public static string BundleOf(string versionName)
    {
        ArgumentNullException.ThrowIfNull(versionName);
        var colon = versionName.IndexOf(':', StringComparison.Ordinal);
        return Bounded(colon < 0 ? versionName : versionName[..colon]);
    }

    /// <summary>
    /// Keeps a dimension value within <see cref="MaxDimensionLength"/>: a longer one becomes its first 100 characters,
    /// <c>~</c> and 16 hex digits of its XxHash64, so distinct values stay distinct (up to hash collisions).
    /// </summary>
    public static string Bounded(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxDimensionLength)
            return value;
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(value));
        return string.Concat(value.AsSpan(0, 100), "~", hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }
}
