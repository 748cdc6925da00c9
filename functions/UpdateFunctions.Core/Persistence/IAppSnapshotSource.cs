using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Persistence;

/// <summary>
/// The hot path's view of app data: snapshots held in memory and refreshed in the background
/// (stale-while-revalidate). A warm call performs no storage call.
/// </summary>
public interface IAppSnapshotSource
{
    /// <summary>
    /// The app's current snapshot, or null when the app does not exist. Throws
    /// <see cref="StorageUnavailableException"/> only when no snapshot was ever loaded and storage is down.
    /// </summary>
    ValueTask<AppSnapshot?> GetAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Drops the cached snapshot so the next call on this instance reads storage (after a local write).</summary>
    void Invalidate(string appId);
}
