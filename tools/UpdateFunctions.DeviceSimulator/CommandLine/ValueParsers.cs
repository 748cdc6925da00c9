using System.Globalization;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.CommandLine;

/// <summary>Parses the option values that are more than a number: durations, fractions, weighted lists, filters.</summary>
public static class ValueParsers
{
    /// <summary><c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, a number of seconds, or <c>hh:mm:ss</c>.</summary>
    public static bool TryDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var trimmed = text.Trim();
        var (number, unit) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            var seconds = amount * unit;
            if (seconds > TimeSpan.FromDays(1).TotalSeconds)
                return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        return trimmed.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value)
            && value >= TimeSpan.Zero;
    }

    /// <summary>A share in [0, 1]: <c>0.2</c> or <c>20%</c>.</summary>
    public static bool TryFraction(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var percent = trimmed.EndsWith('%');
        var ok = double.TryParse(percent ? trimmed[..^1] : trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        if (percent)
            value /= 100;
        return ok && value is >= 0 and <= 1;
    }

    /// <summary>
    /// <c>a,b</c> (equal weights), <c>a=3,b=1</c> or <c>a=75%,b=25%</c>: relative weights, every device gets one value.
    /// </summary>
    public static IReadOnlyList<Share>? TryWeights(string text, Func<string, string?> checkValue, out string? error)
    {
        ArgumentNullException.ThrowIfNull(checkValue);
        var items = Split(text, checkValue, out error);
        if (items is null)
            return null;
        var shares = new List<Share>();
        foreach (var (value, weightText) in items)
        {
            var weight = 1.0;
            if (weightText is not null)
            {
                var percent = weightText.EndsWith('%');
                if (!double.TryParse(percent ? weightText[..^1] : weightText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out weight) || weight <= 0)
                {
                    error = $"'{weightText}' is not a positive weight (e.g. 3, 0.25 or 25%).";
                    return null;
                }
            }
            shares.Add(new Share(value, weight));
        }
        return shares;
    }

    /// <summary>
    /// <c>a=20%,b=0.05</c>: shares of the devices (the rest get none); an item without a share takes what the others
    /// leave (<c>beta</c> alone is every device).
    /// </summary>
    public static IReadOnlyList<Share>? TryShares(string text, Func<string, string?> checkValue, out string? error)
    {
        ArgumentNullException.ThrowIfNull(checkValue);
        var items = Split(text, checkValue, out error);
        if (items is null)
            return null;
        var given = new List<Share>();
        var rest = new List<string>();
        foreach (var (value, shareText) in items)
        {
            if (shareText is null)
            {
                rest.Add(value);
                continue;
            }
            if (!TryFraction(shareText, out var share))
            {
                error = $"'{shareText}' is not a share of the devices (0 to 1, or 0% to 100%).";
                return null;
            }
            given.Add(new Share(value, share));
        }
        var total = given.Sum(s => s.Weight);
        if (total > 1 + 1e-9)
        {
            error = $"the shares add up to {total:P0}, more than 100%.";
            return null;
        }
        return [.. given, .. rest.Select(value => new Share(value, (1 - total) / rest.Count))];
    }

    /// <summary><c>platform=ios</c>, <c>channel=beta,none</c>, <c>custom-id-prefix=ent-</c>, <c>version-build=1.1.0</c>.</summary>
    public static DeviceFilter? TryFilter(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0 || separator == text.Length - 1)
        {
            error = $"'{text}' is not field=value (e.g. platform=ios, channel=beta, custom-id-prefix=ent-, version-build=1.1.0).";
            return null;
        }
        DeviceField? field = text[..separator].Trim().ToLowerInvariant() switch
        {
            "platform" => DeviceField.Platform,
            "channel" => DeviceField.Channel,
            "custom-id-prefix" or "custom_id_prefix" => DeviceField.CustomIdPrefix,
            "version-build" or "version_build" => DeviceField.VersionBuild,
            _ => null,
        };
        if (field is null)
        {
            error = $"unknown field '{text[..separator]}' in '{text}': use platform, channel, custom-id-prefix or version-build.";
            return null;
        }
        var values = text[(separator + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (values.Length == 0)
        {
            error = $"'{text}' names no value.";
            return null;
        }
        if (field == DeviceField.Platform && values.FirstOrDefault(v => v is not ("ios" or "android" or "electron")) is { } platform)
        {
            error = $"'{platform}' is not a platform (ios, android, electron).";
            return null;
        }
        return new DeviceFilter(field.Value, values);
    }

    private static List<(string Value, string? Weight)>? Split(string text, Func<string, string?> checkValue, out string? error)
    {
        error = null;
        var items = new List<(string, string?)>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var separator = item.LastIndexOf('=');
            var value = separator < 0 ? item : item[..separator].Trim();
            var weight = separator < 0 ? null : item[(separator + 1)..].Trim();
            if (value.Length == 0)
            {
                error = $"'{text}' has an empty item.";
                return null;
            }
            if (checkValue(value) is { } problem)
            {
                error = problem;
                return null;
            }
            if (items.Any(i => i.Item1 == value))
            {
                error = $"'{value}' is listed twice.";
                return null;
            }
            items.Add((value, weight));
        }
        return items;
    }
}
