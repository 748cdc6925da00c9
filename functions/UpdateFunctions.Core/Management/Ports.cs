namespace UpdateFunctions.Core.Management;

/// <summary>Durable API keys (table <c>apikeys</c>).</summary>
public interface IApiKeyStore
{
    /// <summary>Every key, revoked and expired ones included (a deployment has a few dozen).</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new key; a key with the same hash already stored is a <see cref="Persistence.ConcurrencyConflictException"/>.</summary>
    Task AddAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Replaces a stored key (revocation).</summary>
    Task UpdateAsync(ApiKey key, CancellationToken cancellationToken);
}

/// <summary>Append-only audit log (table <c>audit</c>).</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="appId"/> null lists every app and the global entries.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken);

    /// <summary>Deletes entries older than <paramref name="before"/>, at most <paramref name="max"/> rows; returns how many (retention).</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);
}

/// <summary>A bundle upload that was announced but not committed yet (table <c>uploads</c>); never seen by update checks.</summary>
public sealed record PendingUpload(
    string AppId,
    string Version,
    string Sha256,
    long Size,
    string StagingPath,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    string? MinUpdateVersion = null,
    string? Link = null,
    string? Comment = null,
    string? SessionKey = null,
    string? KeyId = null,
    string? DeviceChecksum = null);

/// <summary>Pending uploads, kept apart from the bundles table so a snapshot can never see one.</summary>
public interface IPendingUploadStore
{
    Task<PendingUpload?> GetAsync(string appId, string version, CancellationToken cancellationToken);
    Task PutAsync(PendingUpload upload, CancellationToken cancellationToken);
    Task DeleteAsync(string appId, string version, CancellationToken cancellationToken);

    /// <summary>Uploads whose window ended before <paramref name="now"/>, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<PendingUpload>> ListExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Deletes the upload's row if it is still expired at <paramref name="now"/> (not announced again meanwhile); false otherwise.</summary>
    Task<bool> DeleteIfExpiredAsync(string appId, string version, DateTimeOffset now, CancellationToken cancellationToken);
}

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
