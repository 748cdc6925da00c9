using System.Globalization;
using System.Text;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Storage.Metrics;

/// <summary>
/// Keys of the <c>metrics</c> table. PartitionKey = app id <c>|</c> day (<c>yyyyMMdd</c>, UTC); RowKey = segment
/// <c>|</c> channel <c>|</c> platform <c>|</c> bundle <c>|</c> hour (<c>HH</c>) <c>|</c> Event Hubs partition id.
/// Every component is percent-encoded for <c>%</c>, the separator <c>|</c>, the characters Table keys forbid
/// (<c>/ \ # ?</c>) and control characters, so keys are valid and the components cannot run into each other.
/// </summary>
public static class MetricsTableKeys
{
    public const char Separator = '|';

    public static string PartitionKey(string appId, DateOnly day) =>
        string.Concat(Encode(appId), "|", day.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    public static string RowKey(MetricKey key, string partitionId)
    {
        var builder = new StringBuilder(64);
        AppendEncoded(builder, key.Segment).Append(Separator);
        AppendEncoded(builder, key.Channel).Append(Separator);
        builder.Append(key.Platform.ToWire()).Append(Separator);
        AppendEncoded(builder, key.BundleVersion).Append(Separator);
        builder.Append(key.Hour.ToString("00", CultureInfo.InvariantCulture)).Append(Separator);
        AppendEncoded(builder, partitionId);
        return builder.ToString();
    }

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return NeedsEncoding(value) ? AppendEncoded(new StringBuilder(value.Length + 8), value).ToString() : value;
    }

    private static bool NeedsEncoding(string value)
    {
        foreach (var c in value)
        {
            if (MustEscape(c))
                return true;
        }

        return false;
    }

    private static StringBuilder AppendEncoded(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            if (MustEscape(c))
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }

        return builder;
    }

    private static bool MustEscape(char c) =>
        c is '%' or Separator or '/' or '\\' or '#' or '?' or <= '\u001F' or (>= '\u007F' and <= '\u009F');
}
