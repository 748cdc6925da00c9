namespace UpdateFunctions.Core.Management;

/// <summary>What a staged upload holds, read once while hashing it.</summary>
/// <param name="Version">The blob's version (ETag) when it was hashed; promotion reads exactly that version.</param>
public sealed record StagedBlob(string Path, string Sha256, long Size, string Version);

/// <summary>The staging area clients upload to with a short-lived write SAS (Blob Storage).</summary>
public interface IBundleStaging
{
    /// <summary>A write-only URL for <paramref name="stagingPath"/>, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> CreateUploadUriAsync(string stagingPath, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Streams the staged blob and hashes it, or null when nothing was uploaded.</summary>
    Task<StagedBlob?> HashAsync(string stagingPath, CancellationToken cancellationToken);

    /// <summary>Stores the staged bytes (the very version hashed) at <c>{appId}/{sha256}.zip</c>, immutable.</summary>
    Task<Persistence.StoredBundleBlob> PromoteAsync(string appId, StagedBlob staged, CancellationToken cancellationToken);

    Task DeleteAsync(string stagingPath, CancellationToken cancellationToken);
}
