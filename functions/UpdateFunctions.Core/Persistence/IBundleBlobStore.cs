namespace UpdateFunctions.Core.Persistence;

/// <summary>Where a stored bundle zip lives.</summary>
/// <param name="BlobPath">Path inside the bundles container: <c>{appId}/{sha256}.zip</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
public sealed record StoredBundleBlob(string BlobPath, string Sha256, long Size);

/// <summary>Immutable, content-addressed bundle storage (Blob Storage), served through the CDN.</summary>
public interface IBundleBlobStore
{
    /// <summary>Stores a zip under its SHA-256 with an immutable <c>Cache-Control</c>; storing the same bytes twice is a no-op.</summary>
    Task<StoredBundleBlob> PutBundleAsync(string appId, Stream zip, CancellationToken cancellationToken);

    /// <summary>The absolute URL a device downloads <paramref name="blobPath"/> from (CDN base when configured).</summary>
    Uri GetDownloadUri(string blobPath);
}
