using System.IO.Compression;
using System.Security.Cryptography;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Bundles;

/// <summary>The outcome of building a bundle's manifest: built, or refused with a stable reason.</summary>
public abstract record ManifestBuildResult;

public sealed record ManifestBuilt(BundleManifestInfo Info, BundleManifest Manifest) : ManifestBuildResult;

/// <param name="Reason">One of <see cref="ManifestUnavailableReasons"/>.</param>
public sealed record ManifestRefused(string Reason, string Message) : ManifestBuildResult;

/// <summary>
/// Turns a stored bundle zip into its per-file manifest (partial updates): every file of the zip with the SHA-256 of
/// its bytes, each stored once per app under its hash (<see cref="BundleLayout"/>), so files shared between versions
/// are neither stored nor downloaded twice. A file is stored brotli-compressed (and listed as <c>name.br</c>, which the
/// plugin decompresses) when that saves a tenth of its size. File names are the zip's paths exactly: a device
/// assembling the files gets the tree unzipping would give, and the plugin flattens both the same way.
/// A zip a device could not take file by file (unsafe or duplicate paths, and the like) is refused with a reason: the
/// bundle is still committed and served as a zip.
/// </summary>
public sealed class BundleManifestBuilder(IBundleFileStore files)
{
    public const int MaxFiles = 10_000;
    public const long MaxFileSize = 64L * 1024 * 1024;
    public const int MaxPathLength = 1024;

    /// <summary>Smaller files are stored as they are: a request costs more than the bytes brotli would save.</summary>
    internal const int MinCompressedFileSize = 256;

    // Brotli's best quality (11) for files up to 1 MiB: compressed once per app and content, downloaded by every device.
    // Above, quality 9: measured on 0.6-3.4 MB scripts it is 12-25 times faster for 8-14 % more bytes, which keeps a
    // commit of a large bundle within an HTTP call (docs/partial-updates.md).
    internal const int BestQualityMaxSize = 1024 * 1024;
    internal const int BrotliWindow = 22;
    private const int MaxParallelUploads = 8;

    /// <summary>
    /// Builds the manifest of a zip stored at <paramref name="zip"/>'s blob path, for a bundle row: the manifest, or
    /// why there is none (<see cref="ManifestUnavailableReasons"/>).
    /// </summary>
    public async Task<(BundleManifestInfo? Manifest, string? Unavailable)> BuildStoredAsync(
        string appId, StoredBundleBlob zip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var result = await BuildAsync(appId, zip.Sha256, async ct => await files.OpenBundleAsync(zip.BlobPath, ct), ownsStream: true, cancellationToken);
        return ForBundle(result);
    }

    /// <summary>
    /// Builds (or, when this zip was seen before, reads back) the manifest of the zip in <paramref name="zip"/>
    /// (seekable, left open; SHA-256 <paramref name="zipSha256"/>) and stores its new files and the manifest.
    /// </summary>
    public Task<ManifestBuildResult> BuildAsync(string appId, string zipSha256, Stream zip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        return BuildAsync(appId, zipSha256, _ => Task.FromResult(zip), ownsStream: false, cancellationToken);
    }

    /// <summary>The fields of a bundle row for a build result: the manifest, or why there is none.</summary>
    public static (BundleManifestInfo? Manifest, string? Unavailable) ForBundle(ManifestBuildResult result) => result switch
    {
        ManifestBuilt built => (built.Info, null),
        ManifestRefused refused => (null, refused.Reason),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    private async Task<ManifestBuildResult> BuildAsync(
        string appId, string zipSha256, Func<CancellationToken, Task<Stream>> open, bool ownsStream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(zipSha256);

        // Same zip, same manifest: its files were all stored before the manifest was written.
        var manifestPath = BundleLayout.ManifestBlobPath(appId, zipSha256);
        if (await files.GetManifestAsync(manifestPath, cancellationToken) is { } stored && BundleManifestJson.Read(stored) is { } known)
            return Built(manifestPath, known);

        var zip = await open(cancellationToken);
        try
        {
            return await BuildFromZipAsync(appId, manifestPath, zip, cancellationToken);
        }
        finally
        {
            if (ownsStream)
                await zip.DisposeAsync();
        }
    }

    private async Task<ManifestBuildResult> BuildFromZipAsync(string appId, string manifestPath, Stream zip, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return new ManifestRefused(ManifestUnavailableReasons.NotAZip, $"The bundle is not a readable zip ({ex.Message}).");
        }

        using (archive)
        {
            var (entries, refusal) = Select(archive);
            if (refusal is not null)
                return refusal;

            var (manifest, refused) = await StoreFilesAsync(appId, entries!, cancellationToken);
            if (refused is not null)
                return refused;

            await files.PutManifestAsync(manifestPath, BundleManifestJson.Write(manifest!), cancellationToken);
            return Built(manifestPath, manifest!);
        }
    }

    /// <summary>
    /// Whether a device may write a zip entry named <paramref name="path"/> as a file of its bundle: relative,
    /// <c>/</c>-separated, no empty, <c>.</c> or <c>..</c> segment, no backslash or control character (the plugin
    /// refuses such names as well, and two spellings of one path would collide on the device).
    /// </summary>
    public static bool IsSafePath(string? path)
    {
        if (path is null || path.Length is 0 or > MaxPathLength || path[0] == '/')
            return false;
        foreach (var c in path)
        {
            if (c == '\\' || char.IsControl(c))
                return false;
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
                return false;
        }
        return true;
    }

    private static (List<ZipArchiveEntry>? Entries, ManifestRefused? Refusal) Select(ZipArchive archive)
    {
        var entries = new List<ZipArchiveEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            // Folders exist on the device as soon as a file inside them does.
            if (entry.FullName.EndsWith('/'))
                continue;
            if (!IsSafePath(entry.FullName))
                return (null, new(ManifestUnavailableReasons.UnsafePath, $"The zip entry '{Printable(entry.FullName)}' is not a relative '/'-separated path a device can write."));
            if (!seen.Add(entry.FullName))
                return (null, new(ManifestUnavailableReasons.DuplicatePath, $"The zip holds '{Printable(entry.FullName)}' twice."));
            if (entry.Length > MaxFileSize)
                return (null, new(ManifestUnavailableReasons.FileTooLarge, $"'{Printable(entry.FullName)}' has {entry.Length} bytes; files of a manifest have at most {MaxFileSize}."));
            if (entries.Count == MaxFiles)
                return (null, new(ManifestUnavailableReasons.TooManyFiles, $"The zip holds more than {MaxFiles} files."));
            entries.Add(entry);
        }

        return entries.Count == 0
            ? (null, new(ManifestUnavailableReasons.EmptyBundle, "The zip holds no file."))
            : (entries, null);
    }

    private async Task<(BundleManifest? Manifest, ManifestRefused? Refusal)> StoreFilesAsync(
        string appId, List<ZipArchiveEntry> entries, CancellationToken cancellationToken)
    {
        var stored = await files.ListFilesAsync(appId, cancellationToken);
        // One task per distinct new content (and form): compressed and uploaded in parallel while the zip is read on.
        var pending = new Dictionary<(string Sha256, bool MustCompress), Task<(bool Brotli, long StoredSize)?>>();
        var slots = new List<(string Path, string Sha256, long Size, Task<(bool Brotli, long StoredSize)?> Stored)>(entries.Count);
        using var gate = new SemaphoreSlim(MaxParallelUploads);
        ManifestRefused? refusal = null;
        try
        {
            foreach (var entry in entries)
            {
                byte[] content;
                try
                {
                    content = await ReadAsync(entry, cancellationToken);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
                {
                    refusal = new(ManifestUnavailableReasons.NotAZip, $"The zip entry '{Printable(entry.FullName)}' cannot be read ({ex.Message}).");
                    break;
                }

                var path = entry.FullName;
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
                // A file whose own name ends in .br must be compressed: the plugin always decompresses a .br name.
                var mustCompress = path.EndsWith(BundleLayout.BrotliSuffix, StringComparison.Ordinal);
                Task<(bool Brotli, long StoredSize)?> storing;
                if (!mustCompress && stored.TryGetValue(BundleLayout.FileBlobName(sha256, brotli: false), out var plainSize))
                {
                    storing = Task.FromResult<(bool, long)?>((false, plainSize));
                }
                else if (stored.TryGetValue(BundleLayout.FileBlobName(sha256, brotli: true), out var compressedSize))
                {
                    storing = Task.FromResult<(bool, long)?>((true, compressedSize));
                }
                else if (!pending.TryGetValue((sha256, mustCompress), out storing!))
                {
                    await gate.WaitAsync(cancellationToken);
                    storing = EncodeAndStoreAsync(appId, sha256, content, mustCompress, gate, cancellationToken);
                    pending[(sha256, mustCompress)] = storing;
                }
                slots.Add((path, sha256, content.Length, storing));
            }
        }
        finally
        {
            // Every upload started is awaited, whatever happens: none outlives the build, and their failures surface.
            await Task.WhenAll(pending.Values);
        }
        if (refusal is not null)
            return (null, refusal);

        var result = new List<ManifestFile>(slots.Count);
        foreach (var (path, sha256, size, storing) in slots)
        {
            if (await storing is not { } form)
                return (null, new(ManifestUnavailableReasons.UnsafePath, $"'{Printable(path)}' ends in .br and its brotli form would be misread by the plugin."));
            result.Add(new ManifestFile(path, sha256, size, form.Brotli, form.StoredSize));
        }
        return (new BundleManifest(result), null);
    }

    private async Task<(bool Brotli, long StoredSize)?> EncodeAndStoreAsync(
        string appId, string sha256, byte[] content, bool mustCompress, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            // Off the reading loop: brotli at its best quality is CPU work worth spreading over the cores.
            var payload = await Task.Run(() => Encode(content, mustCompress), cancellationToken);
            if (payload is not { } form)
                return null;
            await files.PutFileAsync(appId, BundleLayout.FileBlobName(sha256, form.Brotli), form.Bytes, cancellationToken);
            return (form.Brotli, form.Bytes.Length);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<byte[]> ReadAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        // The declared size bounds what is read: an entry inflating past it is damaged (or a bomb), not a bigger file.
        var content = new byte[entry.Length];
        await using var stream = entry.Open();
        await stream.ReadExactlyAsync(content, cancellationToken);
        var probe = new byte[1];
        if (await stream.ReadAsync(probe, cancellationToken) != 0)
            throw new InvalidDataException("it inflates past its declared size");
        return content;
    }

    /// <summary>What is stored for a file: its brotli form when required or worth it, else its bytes; null when impossible.</summary>
    internal static (bool Brotli, byte[] Bytes)? Encode(byte[] content, bool mustCompress)
    {
        if (!mustCompress && content.Length < MinCompressedFileSize)
            return (false, content);

        foreach (var window in new[] { BrotliWindow, BrotliWindow + 2 })
        {
            var compressed = Compress(content, window);
            if (PluginMisreads(compressed, content))
                continue;
            if (mustCompress || compressed.Length <= content.Length - content.Length / 10)
                return (true, compressed);
            return (false, content);
        }

        return mustCompress ? null : (false, content);
    }

    private static byte[] Compress(byte[] content, int window)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(content.Length)];
        var quality = content.Length <= BestQualityMaxSize ? 11 : 9;
        if (!BrotliEncoder.TryCompress(content, buffer, out var written, quality, window))
            throw new InvalidOperationException("Brotli compression did not fit its maximum length.");
        return buffer.AsSpan(0, written).ToArray();
    }

    /// <summary>
    /// The plugin (Android <c>DownloadService.decompressBrotli</c>, iOS <c>CapgoUpdater.decompressBrotli</c>) takes two
    /// byte patterns as shortcuts before decoding: exactly <c>1B 00 06</c> is an empty file, and a stream starting with
    /// <c>1B 00 06</c> or <c>0B 02 80</c> and ending with <c>03</c> is an uncompressed block whose middle is copied as is.
    /// A stream of ours matching either without meaning it would be misread; such a file is compressed another way.
    /// </summary>
    internal static bool PluginMisreads(ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> content)
    {
        if (compressed.Length < 3)
            return false;
        var emptyWrapper = compressed[0] == 0x1B && compressed[1] == 0x00 && compressed[2] == 0x06;
        if (compressed.Length == 3)
            return emptyWrapper && !content.IsEmpty;
        var rawWrapper = emptyWrapper || (compressed[0] == 0x0B && compressed[1] == 0x02 && compressed[2] == 0x80);
        return rawWrapper && compressed[^1] == 0x03 && !compressed[3..^1].SequenceEqual(content);
    }

    private static ManifestBuilt Built(string manifestPath, BundleManifest manifest) =>
        new(new BundleManifestInfo(manifestPath, manifest.Files.Count, manifest.Size, manifest.StoredSize), manifest);

    private static string Printable(string value)
    {
        var shown = value.Length > 120 ? value[..120] + "…" : value;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
