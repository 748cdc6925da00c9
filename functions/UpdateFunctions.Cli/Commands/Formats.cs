using System.Globalization;

namespace UpdateFunctions.Cli.Commands;

/// <summary>How values look in tables.</summary>
public static class Formats
{
    public static string? Date(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Flag(bool? value) => value switch { true => "yes", false => "no", null => null };

    public static string Size(long? bytes) => bytes switch
    {
        null => "-",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB ({bytes} B)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB ({bytes} B)"),
    };

    public static string? Abbreviate(string? checksum) => checksum is { Length: > 12 } ? checksum[..12] + "…" : checksum;
}
