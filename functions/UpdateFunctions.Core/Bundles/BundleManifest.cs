using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Bundles;

/// <summary>One file of a bundle, as a device assembles the bundle from a manifest (partial updates).</summary>
/// <param name="Path">The file's path inside the zip, <c>/</c>-separated: where the device writes it.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's own bytes (what the device verifies).</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Brotli">
/// Stored brotli-compressed: the device is told <c>file_name = Path + ".br"</c>, decompresses what it downloads and
/// writes it to <see cref="Path"/> (the plugin strips one <c>.br</c> and decompresses).
/// </param>
/// <param name="StoredSize">Bytes a device downloads for this file.</param>
public sealed record ManifestFile(string Path, string Sha256, long Size, bool Brotli, long StoredSize)
{
    /// <summary>The plugin's <c>file_name</c>.</summary>
    [JsonIgnore]
    public string FileName => Brotli ? Path + BundleLayout.BrotliSuffix : Path;

    /// <summary>Name of the content-addressed blob under <c>{app}/files/</c>: the hash, plus <c>.br</c> when compressed.</summary>
    [JsonIgnore]
    public string BlobName => BundleLayout.FileBlobName(Sha256, Brotli);
}

/// <summary>
/// The per-file manifest of a stored bundle zip: every file with its SHA-256, in zip order. Immutable, and stored as a
/// content-addressed blob (<see cref="BundleLayout.ManifestBlobPath"/>), so one loaded instance serves every snapshot.
/// </summary>
public sealed class BundleManifest
{
    public BundleManifest(IEnumerable<ManifestFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = [.. files];
        foreach (var file in Files)
        {
            Size += file.Size;
            StoredSize += file.StoredSize;
        }
    }

    public IReadOnlyList<ManifestFile> Files { get; }

    /// <summary>Bytes of the assembled bundle.</summary>
    public long Size { get; }

    /// <summary>Bytes a device with none of the files downloads.</summary>
    public long StoredSize { get; }
}

/// <summary>What a bundle row records about its manifest once built (table <c>bundles</c>).</summary>
/// <param name="BlobPath">Where the manifest is stored: <c>{app}/manifests/{zip sha256}.json</c>.</param>
public sealed record BundleManifestInfo(string BlobPath, int Files, long Size, long StoredSize);

/// <summary>Where a bundle's pieces live in the bundles container.</summary>
public static class BundleLayout
{
    public const string BrotliSuffix = ".br";

    /// <summary>The folder of an app's content-addressed files; one blob per distinct content, shared by every version.</summary>
    public static string FilesPrefix(string appId) => $"{appId}/files/";

    public static string FileBlobName(string sha256, bool brotli) => brotli ? sha256 + BrotliSuffix : sha256;

    public static string FileBlobPath(string appId, string blobName) => FilesPrefix(appId) + blobName;

    /// <summary>A manifest is named by the SHA-256 of the zip it describes: the same zip always has the same manifest.</summary>
    public static string ManifestBlobPath(string appId, string zipSha256) => $"{appId}/manifests/{zipSha256}.json";
}

/// <summary>Why a bundle has no manifest (stable codes, shown by the management API as <c>manifest.reason</c>).</summary>
public static class ManifestUnavailableReasons
{
    /// <summary>
    /// Capgo encrypts manifest files one by one and RSA-encrypts each file's hash with the owner's private key, which
    /// never reaches this server: devices holding a public key would refuse plain hashes. Encrypted bundles are served as zips.
    /// </summary>
    public const string EncryptedBundle = "encrypted_bundle";
    public const string ExternalBundle = "external_bundle";
    public const string NotAZip = "not_a_zip";
    public const string EmptyBundle = "empty_bundle";
    public const string UnsafePath = "unsafe_path";
    public const string DuplicatePath = "duplicate_path";
    public const string TooManyFiles = "too_many_files";
    public const string FileTooLarge = "file_too_large";
}
