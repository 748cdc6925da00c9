using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// The CodePush content hash of a release zip, as the CodePush CLI and the archived server computed it: for every file
/// entry of the zip (directory entries, <c>__MACOSX/</c> and <c>.DS_Store</c> left out) the string
/// <c>path:sha256hex(file bytes)</c> with <c>/</c> separators; those strings sorted by UTF-16 code unit (JavaScript's
/// default sort); the sorted list written as a JSON array exactly as <c>JSON.stringify</c> writes it; the lower-case hex
/// SHA-256 of that text's UTF-8 bytes. It depends on the files' paths and contents only, not on how the zip was made.
/// </summary>
public static class CodePushPackageHash
{
    public static async Task<string> ComputeAsync(Stream zip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        await using var archive = await ZipArchive.CreateAsync(zip, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        var entries = new List<string>();
        foreach (var entry in archive.Entries)
        {
            var path = entry.FullName.Replace('\\', '/');
            if (path.EndsWith('/') || IsIgnored(path))
                continue;
            await using var content = await entry.OpenAsync(cancellationToken);
            var hash = await SHA256.HashDataAsync(content, cancellationToken);
            entries.Add(path + ":" + Convert.ToHexStringLower(hash));
        }
        return OfManifest(entries);
    }

    /// <summary>The hash of already computed <c>path:sha256hex</c> entries.</summary>
    public static string OfManifest(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries.ToList();
        sorted.Sort(string.CompareOrdinal);
        var json = new StringBuilder("[");
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
                json.Append(',');
            AppendJsonString(json, sorted[i]);
        }
        json.Append(']');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    /// <summary>Entries the CodePush CLI never hashed: macOS metadata.</summary>
    public static bool IsIgnored(string path) =>
        path.StartsWith("__MACOSX/", StringComparison.Ordinal) || path == ".DS_Store" || path.EndsWith("/.DS_Store", StringComparison.Ordinal);

    /// <summary>A string as <c>JSON.stringify</c> writes it: only <c>"</c>, <c>\</c> and control characters are escaped.</summary>
    private static void AppendJsonString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
