using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>
/// App snapshots held in memory, stale-while-revalidate. A fresh snapshot (younger than
/// <see cref="StorageOptions.SnapshotRefreshInterval"/>) is returned with no storage call; a stale one is returned at
/// once while one background refresh per app brings it up to date; a failed refresh keeps the last good snapshot and is
/// retried one interval later. Unknown apps are cached as absent under the same rule, so a flood of checks for an app
/// that does not exist does not reach storage on every call. Only a first load waits for storage (shared by concurrent callers).
/// <para>
/// Over a store that keeps a change log (<see cref="IChangeTrackingCatalog"/>, docs/read-path.md) a refresh reads only
/// the changes after the snapshot's position (an idle one: one query that returns nothing), a cold load starts from the
/// compacted snapshot blob when there is one, and this instance's own writes are applied to its snapshot in place as
/// they happen. Over any other store a refresh reloads every row.
/// </para>
/// </summary>
public sealed partial class CachedAppSnapshotSource : IAppSnapshotSource, IDisposable
{
    /// <summary>Past this many cached apps, absent and never-loaded entries are dropped (bounds a flood of random app ids).</summary>
    internal const int MaxEntries = 10_000;

    /// <summary>Device changes held beside the compact rows before a refresh folds them in (at least; or 1/16 of the rows).</summary>
    internal const int MinOverlayToCompact = 4096;

    private readonly ICatalogStore _store;
    private readonly IChangeTrackingCatalog? _tracking;
    private readonly CatalogSnapshotBlobs? _snapshotBlobs;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _retention;
    private readonly ILogger<CachedAppSnapshotSource> _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationToken _stopping;
    private int _entryCount;
    private int _sweeping;
    private int _disposed;

    private readonly ManifestCache? _manifests;

    /// <param name="manifests">Attaches the manifests of partial updates to each snapshot; null leaves them out.</param>
    /// <param name="snapshotBlobs">Where a cold load finds compacted device rows; null always reads the tables.</param>
    public CachedAppSnapshotSource(
        ICatalogStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<CachedAppSnapshotSource> logger,
        ManifestCache? manifests = null, CatalogSnapshotBlobs? snapshotBlobs = null)
    {
        _manifests = manifests;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        _refreshInterval = options.Value.SnapshotRefreshInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_refreshInterval, TimeSpan.Zero, nameof(options));
        _retention = options.Value.ChangeLogRetention;
        _store = store;
        _clock = clock;
        _logger = logger;
        _stopping = _lifetime.Token;
        _snapshotBlobs = snapshotBlobs;
        _tracking = store as IChangeTrackingCatalog;
        if (_tracking is not null)
            _tracking.Written += OnWritten;
    }

    public ValueTask<AppSnapshot?> GetAsync(string appId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appId);
        if (_entries.TryGetValue(appId, out var entry) && entry.Current is { } current)
        {
            if (entry.Due || _clock.GetElapsedTime(current.LoadedAt) >= _refreshInterval)
            {
                StartRefresh(appId, entry);
                if (entry.AwaitCatchUp && entry.Refresh is { IsCompleted: false } refresh)
                    return WaitForCatchUpAsync(entry, refresh, cancellationToken);
            }
            return ValueTask.FromResult(current.Snapshot);
        }

        return LoadFirstAsync(appId, cancellationToken);
    }

    /// <summary>
    /// Called after a management write of this instance. The write is already in the snapshot (applied in place, and put
    /// back on top of any load that missed it). Over a change log, the next check starts a catch-up without dropping
    /// the snapshot and waits for it (one change-log query), so manifests the write needs are attached before it is
    /// offered. Device writes (<c>channel_self</c>) do not call this, so a join storm never makes checks wait. An app
    /// cached as absent, or a store without a log, is dropped so the next check reads storage.
    /// </summary>
    public void Invalidate(string appId)
    {
        ArgumentNullException.ThrowIfNull(appId);
        if (_tracking is not null && _entries.TryGetValue(appId, out var entry) && entry.Current is { Snapshot: not null })
        {
            // Due before AwaitCatchUp: a refresh ending meanwhile keeps the wait (see RefreshAsync's finally).
            entry.Due = true;
            entry.AwaitCatchUp = true;
            return;
        }
        if (_entries.TryRemove(appId, out _))
            Interlocked.Decrement(ref _entryCount);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_tracking is not null)
            _tracking.Written -= OnWritten;
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    /// <summary>How many apps (present, absent or loading) have an entry; for tests and diagnostics.</summary>
    internal int CachedApps => Volatile.Read(ref _entryCount);

    /// <summary>For tests: completes when the background refresh running for <paramref name="appId"/>, if any, has ended.</summary>
    internal Task WhenRefreshedAsync(string appId) =>
        _entries.TryGetValue(appId, out var entry) && entry.Refresh is { } refresh ? refresh : Task.CompletedTask;

    private async ValueTask<AppSnapshot?> LoadFirstAsync(string appId, CancellationToken cancellationToken)
    {
        var entry = GetOrAddEntry(appId);
        Lazy<Task<Cached>> load;
        lock (entry)
        {
            if (entry.Current is { } current)
                return current.Snapshot;
            // One load per app at a time; a failed one is replaced by the next caller's.
            if (entry.FirstLoad is not { } pending || (pending.IsValueCreated && pending.Value.IsCompleted))
                entry.FirstLoad = new Lazy<Task<Cached>>(() => LoadIntoAsync(appId, entry));
            load = entry.FirstLoad;
        }

        // The load is shared, so it runs on the source's lifetime; this caller only stops waiting when cancelled.
        var cached = await load.Value.WaitAsync(cancellationToken);
        return cached.Snapshot;
    }

    private static async ValueTask<AppSnapshot?> WaitForCatchUpAsync(Entry entry, Task refresh, CancellationToken cancellationToken)
    {
        // A refresh never throws: a failed one leaves the last good snapshot.
        await refresh.WaitAsync(cancellationToken);
        return entry.Current!.Snapshot;
    }

    private Task<Cached> LoadIntoAsync(string appId, Entry entry) => ReloadAsync(appId, entry, _clock.GetTimestamp());

    /// <summary>Loads the whole snapshot (blob or tables, then the log) and makes it the entry's, with its position.</summary>
    private async Task<Cached> ReloadAsync(string appId, Entry entry, long startedAt)
    {
        lock (entry)
            entry.Loading++;
        try
        {
            var loaded = await LoadFullAsync(appId);
            lock (entry)
            {
                var cached = new Cached(ApplyLocalWrites(entry, loaded, out var manifestsDue), startedAt);
                Prune(loaded.Recent, loaded.Cursor);
                entry.Cursor = loaded.Cursor;
                entry.Recent = loaded.Recent;
                entry.ManifestsDue = loaded.ManifestsDue || manifestsDue;
                if (manifestsDue && _manifests is not null)
                    entry.Due = true;
                entry.Current = cached;
                return cached;
            }
        }
        finally
        {
            lock (entry)
                entry.Loading--;
        }
    }

    private void StartRefresh(string appId, Entry entry)
    {
        // After a failed refresh, the next attempt waits one interval: an outage costs one storage call per app per interval.
        var failedAt = Interlocked.Read(ref entry.FailedAt);
        if (failedAt != 0 && _clock.GetElapsedTime(failedAt) < _refreshInterval)
            return;
        if (Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) != 0)
            return;
        entry.Refresh = RefreshAsync(appId, entry);
    }

    private async Task RefreshAsync(string appId, Entry entry)
    {
        // Leave the caller's thread at once: the request that noticed the stale snapshot does not wait for storage.
        await Task.Yield();
        var startedAt = _clock.GetTimestamp();
        entry.Due = false;
        try
        {
            if (_tracking is null || entry.Current?.Snapshot is null
                || _clock.GetUtcNow().UtcTicks - Volatile.Read(ref entry.Cursor) > _retention.Ticks / 2)
            {
                // No log, an absent app, or a position the compactor may have trimmed past (a long outage): reload.
                await ReloadAsync(appId, entry, startedAt);
            }
            else
            {
                await CatchUpAsync(appId, entry, _tracking, startedAt);
            }
            Interlocked.Exchange(ref entry.FailedAt, 0);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the last good snapshot keeps serving; the failure is logged and retried later.
            Interlocked.Exchange(ref entry.FailedAt, _clock.GetTimestamp());
            var age = entry.Current is { } current ? _clock.GetElapsedTime(current.LoadedAt) : TimeSpan.Zero;
            LogRefreshFailed(ex, appId, age, _refreshInterval);
        }
        finally
        {
            // A write of this instance that came during this refresh may not be in what it read: its catch-up is due,
            // and the next check still waits for it.
            if (!entry.Due)
                entry.AwaitCatchUp = false;
            Volatile.Write(ref entry.Refreshing, 0);
        }
    }

    /// <summary>The app's manifests its update checks may offer (those that could be read) attached to <paramref name="snapshot"/>.</summary>
    /// <remarks>Unreadable is true when some could not be read (the next refresh tries again).</remarks>
    private async Task<(AppSnapshot? Snapshot, bool Unreadable)> AttachManifestsAsync(string appId, AppSnapshot? snapshot)
    {
        if (snapshot is null || _manifests is null)
            return (snapshot, false);

        var attached = await _manifests.AttachAsync(snapshot, _stopping);
        if (attached.Unreadable.Count > 0)
            LogManifestsUnreadable(appId, attached.Unreadable.Count, attached.Unreadable[0]);
        return (attached.Snapshot, attached.Unreadable.Count > 0);
    }

    private Entry GetOrAddEntry(string appId)
    {
        if (_entries.TryGetValue(appId, out var existing))
            return existing;

        var entry = new Entry();
        if (!_entries.TryAdd(appId, entry))
            return _entries[appId];
        if (Interlocked.Increment(ref _entryCount) > MaxEntries)
            SweepUnknownApps();
        return entry;
    }

    private void SweepUnknownApps()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
            return;
        try
        {
            var removed = 0;
            foreach (var pair in _entries)
            {
                if (pair.Value.Current?.Snapshot is null && _entries.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _entryCount);
                    removed++;
                }
            }

            LogSwept(removed, MaxEntries);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refreshing the snapshot of app {AppId} failed; serving the one loaded {Age} ago and retrying in {RetryIn}")]
    private partial void LogRefreshFailed(Exception exception, string appId, TimeSpan age, TimeSpan retryIn);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Snapshot cache passed {MaxEntries} apps; dropped {Removed} entries of unknown or never-loaded apps")]
    private partial void LogSwept(int removed, int maxEntries);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "App {AppId}: {Count} manifest(s) could not be read (first: {ManifestPath}); their bundles are offered as zips until a refresh reads them")]
    private partial void LogManifestsUnreadable(string appId, int count, string manifestPath);

    /// <summary>A loaded snapshot (null: the app does not exist) and when its load started.</summary>
    private sealed record Cached(AppSnapshot? Snapshot, long LoadedAt);

    private sealed class Entry
    {
        public volatile Cached? Current;
        /// <summary>Set by <see cref="Invalidate"/>: catch up at the next check, whatever the snapshot's age.</summary>
        public volatile bool Due;
        /// <summary>Set by <see cref="Invalidate"/> after a local write of the small tables: the next check waits for the catch-up.</summary>
        public volatile bool AwaitCatchUp;
        /// <summary>Change-log position the snapshot includes everything up to (written under the entry's lock).</summary>
        public long Cursor;
        /// <summary>Positions of the rows changed after <see cref="Cursor"/>, so a change read twice is applied once (under the lock).</summary>
        public Dictionary<(CatalogEntityKind Kind, string Key), long> Recent = [];
        /// <summary>The small tables or a pinned bundle changed since manifests were last attached.</summary>
        public volatile bool ManifestsDue;
        public Lazy<Task<Cached>>? FirstLoad;
        public volatile Task? Refresh;
        public int Refreshing;
        /// <summary>Timestamp of the last failed refresh, 0 when the last one succeeded.</summary>
        public long FailedAt;
        /// <summary>This instance's writes of the last overlap (under the lock), put on top of a load that may have missed them.</summary>
        public readonly Queue<CatalogChange> LocalWrites = new();
        /// <summary>Full loads running (under the lock): while one runs, <see cref="LocalWrites"/> keeps everything.</summary>
        public int Loading;
    }
}
