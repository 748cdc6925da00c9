using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>
/// Durations as people type them: <c>90m</c>, <c>1h30m</c>, <c>2d</c>, <c>45s</c>, <c>01:30:00</c>, or ISO 8601 <c>PT1H30M</c>.
/// </summary>
public static partial class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
            return false;
        text = text.Trim();
        var units = Units().Match(text);
        if (units.Success && text.Length > 0)
        {
            double seconds = 0;
            foreach (var (group, scale) in new[] { ("d", 86400.0), ("h", 3600.0), ("m", 60.0), ("s", 1.0) })
            {
                if (units.Groups[group].Success)
                    seconds += double.Parse(units.Groups[group].Value, CultureInfo.InvariantCulture) * scale;
            }
            if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
                return false;
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        if (text.StartsWith('P'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return duration >= TimeSpan.Zero;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        // A bare number would read as days: only the clock form (with ':') is taken.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>The shortest of the unit forms: <c>1h30m</c>, <c>2d</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
            return "0s";
        var parts = new List<string>(4);
        if (duration.Days > 0)
            parts.Add(duration.Days.ToString(CultureInfo.InvariantCulture) + "d");
        if (duration.Hours > 0)
            parts.Add(duration.Hours.ToString(CultureInfo.InvariantCulture) + "h");
        if (duration.Minutes > 0)
            parts.Add(duration.Minutes.ToString(CultureInfo.InvariantCulture) + "m");
        if (duration.Seconds > 0)
            parts.Add(duration.Seconds.ToString(CultureInfo.InvariantCulture) + "s");
        return parts.Count == 0 ? "0s" : string.Concat(parts);
    }

    [GeneratedRegex(@"^(?=\d)(?:(?<d>\d{1,4})d)?(?:(?<h>\d{1,5})h)?(?:(?<m>\d{1,6})m)?(?:(?<s>\d{1,7})s)?\z")]
    private static partial Regex Units();
}
