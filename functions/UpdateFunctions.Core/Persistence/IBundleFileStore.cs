namespace UpdateFunctions.Core.Persistence;

/// <summary>
/// The per-file side of bundle storage (partial updates): an app's content-addressed files
/// (<c>{app}/files/{sha256}[.br]</c>, written once, shared by every version) and the manifests that list them
/// (<c>{app}/manifests/{zip sha256}.json</c>).
/// </summary>
public interface IBundleFileStore
{
    /// <summary>A stored zip (<c>{app}/{sha256}.zip</c>) as a seekable stream the caller disposes.</summary>
    Task<Stream> OpenBundleAsync(string blobPath, CancellationToken cancellationToken);

    /// <summary>The app's stored files: blob name (<c>{sha256}</c> or <c>{sha256}.br</c>) → stored size.</summary>
    Task<IReadOnlyDictionary<string, long>> ListFilesAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Stores one file under <c>{app}/files/{blobName}</c>, immutable; a blob already there is kept.</summary>
    Task PutFileAsync(string appId, string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The bytes of a stored manifest, or null when there is none.</summary>
    Task<byte[]?> GetManifestAsync(string blobPath, CancellationToken cancellationToken);

    /// <summary>Stores a manifest, immutable; a manifest already there is kept (same zip, same manifest).</summary>
    Task PutManifestAsync(string blobPath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
