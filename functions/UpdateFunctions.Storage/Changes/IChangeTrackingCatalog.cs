using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Changes;

/// <summary>
/// A catalog store that records every write in a per-app change log, so a cached snapshot catches up by reading the
/// changes after its position (O(changes)) instead of every row (docs/read-path.md).
/// </summary>
public interface IChangeTrackingCatalog
{
    /// <summary>Raised on the writer's thread after each successful write of this store instance (before it is logged).</summary>
    event EventHandler<CatalogChange>? Written;

    /// <summary>
    /// How far back a reader re-reads: a change becomes visible in the log within half of it of its position (or is
    /// logged again), so a reader that queried at time T has seen everything positioned before T minus this.
    /// </summary>
    TimeSpan Overlap { get; }

    /// <summary>The logged changes of an app positioned after <paramref name="afterPosition"/>, oldest first.</summary>
    Task<IReadOnlyList<CatalogChange>> ReadChangesAsync(string appId, long afterPosition, CancellationToken cancellationToken);

    /// <summary>Drops up to <paramref name="maxEntries"/> changes positioned before <paramref name="beforePosition"/>; returns how many.</summary>
    Task<int> TrimChangesAsync(string appId, long beforePosition, int maxEntries, CancellationToken cancellationToken);

    /// <summary>The app's snapshot built from the small tables and <paramref name="devices"/> (read elsewhere, e.g. a snapshot blob).</summary>
    Task<AppSnapshot?> LoadSnapshotAsync(string appId, DeviceDictionary devices, CancellationToken cancellationToken);
}
