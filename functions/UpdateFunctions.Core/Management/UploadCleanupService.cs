namespace UpdateFunctions.Core.Management;

/// <summary>What one cleanup run did.</summary>
/// <param name="Expired">Expired uploads found.</param>
/// <param name="Removed">Uploads whose staged blob and row were deleted.</param>
/// <param name="More">The batch was full: there may be more for the next run.</param>
public sealed record UploadCleanupResult(int Expired, int Removed, bool More);

/// <summary>
/// Removes uploads that were announced and never committed once their window has passed: the staged blob, then the
/// row. Idempotent: a blob already gone is fine, and a run that stops between the two deletes leaves the row, so the
/// next run deletes the (absent) blob and the row. A row announced again meanwhile has a new window and stays. At most
/// <paramref name="batchSize"/> uploads per run.
/// </summary>
public sealed class UploadCleanupService(IPendingUploadStore uploads, IBundleStaging staging, TimeProvider clock, int batchSize = 500)
{
    public async Task<UploadCleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = await uploads.ListExpiredAsync(now, batchSize, cancellationToken);
        var removed = 0;
        foreach (var upload in expired)
        {
            // The SAS dies with the window, so nothing writes to the blob any more: delete it first, the row last.
            await staging.DeleteAsync(upload.StagingPath, cancellationToken);
            if (await uploads.DeleteIfExpiredAsync(upload.AppId, upload.Version, now, cancellationToken))
                removed++;
        }
        return new UploadCleanupResult(expired.Count, removed, expired.Count == batchSize);
    }
}
