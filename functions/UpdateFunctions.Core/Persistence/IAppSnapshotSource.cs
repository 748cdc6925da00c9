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

    /// <summary>
    /// Tells the cache that a write of this instance changed the app: a cache over a change log catches up from it in the
    /// background (the instance's own writes are already applied); one without drops the snapshot so the next call
    /// reads storage (docs/read-path.md).
    /// </summary>
    void Invalidate(string appId);
}
