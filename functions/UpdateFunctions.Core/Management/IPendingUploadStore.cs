namespace UpdateFunctions.Core.Management;

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
