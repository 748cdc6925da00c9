using System.IO.Compression;
using System.Text;

namespace UpdateFunctions.Cli.Bundles;

/// <summary>
/// Zips a web build folder so that the same files always give the same bytes, hence the same SHA-256: entries
/// sorted by their ordinal path, forward slashes, no directory entries, one fixed timestamp (1980-01-01 00:00,
/// the zip epoch), fixed permissions (regular file 0644), UTF-8 names, <see cref="CompressionLevel.Optimal"/>.
/// Files are stored at the root of the zip, as the Capgo plugin expects (<c>index.html</c> at the top).
/// </summary>
public static class DeterministicZip
{
    /// <summary>The zip epoch: DOS date 1980-01-01, time 00:00:00, written the same in every time zone.</summary>
    public static readonly DateTimeOffset Timestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Unix mode of every entry in the external attributes: regular file, rw-r--r--.</summary>
    public const int UnixRegularFile0644 = 0x81A4;

    /// <summary>The relative paths (forward slashes, ordinal order) the zip of <paramref name="folder"/> holds.</summary>
    public static IReadOnlyList<(string EntryName, string FullPath)> ListFiles(string folder)
    {
        var root = Path.GetFullPath(folder);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        return Directory.EnumerateFiles(root, "*", options)
            .Select(path => (EntryName: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), FullPath: path))
            .OrderBy(file => file.EntryName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Writes the zip of <paramref name="folder"/> to <paramref name="destination"/> (left open).</summary>
    public static async Task WriteAsync(string folder, Stream destination, CancellationToken cancellationToken)
    {
        var files = ListFiles(folder);
        if (files.Count == 0)
            throw CliException.Usage($"{folder} holds no file to bundle.");
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8);
        foreach (var (entryName, fullPath) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
            entry.LastWriteTime = Timestamp;
            entry.ExternalAttributes = UnixRegularFile0644 << 16;
            await using var input = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using var output = entry.Open();
            await input.CopyToAsync(output, cancellationToken);
        }
    }
}
