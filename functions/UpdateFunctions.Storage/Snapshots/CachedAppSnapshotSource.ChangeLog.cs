using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>Loading from the snapshot blob and catching up through the change log (docs/read-path.md).</summary>
public sealed partial class CachedAppSnapshotSource
{
    /// <summary>
    /// A snapshot with everything logged up to <paramref name="Cursor"/> in it, the rows changed after it, and the position
    /// the changes were read from (<paramref name="ReadFrom"/>: what is positioned before it came from the base rows).
    /// </summary>
    private sealed record Loaded(
        AppSnapshot? Snapshot, long Cursor, Dictionary<(CatalogEntityKind Kind, string Key), long> Recent, bool ManifestsDue, long ReadFrom);

    /// <summary>
    /// A whole snapshot: the device rows from the compacted blob when there is a readable one (else from the tables), the
    /// small tables, then the changes logged after the blob's position, so the first answer is already current.
    /// </summary>
    private async Task<Loaded> LoadFullAsync(string appId)
    {
        var recent = new Dictionary<(CatalogEntityKind Kind, string Key), long>();
        if (_tracking is null)
        {
            var (whole, unreadable) = await AttachManifestsAsync(appId, await _store.LoadSnapshotAsync(appId, _stopping));
            return new Loaded(whole, 0, recent, unreadable, 0);
        }

        // An import logged after the rows were read is not in them: read the tables again, after it (once).
        var blob = await ReadBlobAsync(appId);
        for (var attempt = 0; ; attempt++)
        {
            var startedAt = _clock.GetUtcNow().UtcTicks;
            AppSnapshot? snapshot;
            long cursor;
            long importsIncluded;
            if (blob is not null && attempt == 0)
            {
                snapshot = await _tracking.LoadSnapshotAsync(appId, blob.Devices, _stopping);
                (cursor, importsIncluded) = (blob.Position, blob.TakenAt);
            }
            else
            {
                snapshot = await _store.LoadSnapshotAsync(appId, _stopping);
                (cursor, importsIncluded) = (startedAt - _tracking.Overlap.Ticks, startedAt);
            }
            if (snapshot is null)
                return new Loaded(null, cursor, recent, false, cursor);

            var (changes, next) = await ReadChangesAsync(appId, cursor, _tracking);
            if (attempt == 0 && changes.Exists(c => c.IsImport && c.Position > importsIncluded))
                continue;
            // Recent is pruned by the caller, after this instance's own writes went on top (their positions need it).
            snapshot = Apply(snapshot, changes, recent, snapshot.LoadedAt, out _);
            var (attached, manifestsUnreadable) = await AttachManifestsAsync(appId, snapshot);
            return new Loaded(attached, next, recent, manifestsUnreadable, cursor);
        }
    }

    /// <summary>The compacted device rows, or null when there are none or they cannot be used (logged; the tables serve instead).</summary>
    private async Task<DeviceSnapshot?> ReadBlobAsync(string appId)
    {
        if (_snapshotBlobs is null)
            return null;
        try
        {
            return await _snapshotBlobs.ReadAsync(appId, _stopping);
        }
        catch (InvalidDataException ex)
        {
            LogBlobUnusable(ex, appId);
            return null;
        }
    }

    /// <summary>
    /// Applies the changes logged since the entry's position: one query when nothing changed, the rows of the small tables
    /// read back, device rows as logged. Also folds a grown overlay of device changes into the compact rows, and attaches
    /// manifests when the small tables or a pin changed.
    /// </summary>
    private async Task CatchUpAsync(string appId, Entry entry, IChangeTrackingCatalog tracking, long startedAt)
    {
        var (changes, next) = await ReadChangesAsync(appId, Volatile.Read(ref entry.Cursor), tracking);
        var loadedAt = _clock.GetUtcNow();
        bool imported;
        lock (entry)
            imported = changes.Exists(c => c.IsImport && !(entry.Recent.TryGetValue((c.Kind, c.Key), out var applied) && applied >= c.Position));
        if (imported)
        {
            // Another instance imported rows: reload (from a blob that holds the import, else the tables), once.
            await ReloadAsync(appId, entry, startedAt);
            return;
        }
        DeviceDictionary devices;
        lock (entry)
        {
            if (entry.Current is not { Snapshot: { } current })
                return;
            var snapshot = Apply(current, changes, entry.Recent, loadedAt, out var manifestsDue);
            entry.Current = new Cached(snapshot, startedAt);
            entry.Cursor = Math.Max(entry.Cursor, next);
            Prune(entry.Recent, entry.Cursor);
            entry.ManifestsDue |= manifestsDue;
            devices = snapshot?.Devices ?? DeviceDictionary.Empty;
        }

        if (devices.OverlayCount >= Math.Max(MinOverlayToCompact, devices.Count / 16))
        {
            // O(rows), off the hot path; writes that land meanwhile are replayed onto the result.
            var compacted = devices.Compact();
            lock (entry)
            {
                if (entry.Current?.Snapshot is { } current)
                    entry.Current = entry.Current with { Snapshot = current.WithDevices(current.Devices.RebaseOnto(compacted, devices), current.LoadedAt) };
            }
        }

        if (_manifests is not null && entry.ManifestsDue && entry.Current?.Snapshot is { } withoutManifests)
        {
            entry.ManifestsDue = false;
            var attached = await _manifests.AttachAsync(withoutManifests, _stopping);
            if (attached.Unreadable.Count > 0)
            {
                entry.ManifestsDue = true;
                LogManifestsUnreadable(appId, attached.Unreadable.Count, attached.Unreadable[0]);
            }
            lock (entry)
            {
                // Only if the small tables are the ones the manifests were chosen for; device rows are the current ones.
                if (entry.Current?.Snapshot is { } current && ReferenceEquals(current.Channels, withoutManifests.Channels)
                    && ReferenceEquals(current.Bundles, withoutManifests.Bundles) && ReferenceEquals(current.Rollouts, withoutManifests.Rollouts))
                    entry.Current = entry.Current with { Snapshot = attached.Snapshot.WithDevices(current.Devices, current.LoadedAt) };
                else
                    entry.ManifestsDue = true;
            }
        }
    }

    /// <summary>The changes after <paramref name="cursor"/> with every row that is not in the log read back, and the next cursor.</summary>
    private async Task<(List<CatalogChange> Changes, long Next)> ReadChangesAsync(string appId, long cursor, IChangeTrackingCatalog tracking)
    {
        // Everything positioned before the query's start minus the overlap is visible to it (writers guarantee it).
        var next = Math.Max(cursor, _clock.GetUtcNow().UtcTicks - tracking.Overlap.Ticks);
        var logged = await tracking.ReadChangesAsync(appId, cursor, _stopping);
        var read = new Dictionary<(CatalogEntityKind, string), object?>();
        var changes = new List<CatalogChange>(logged.Count);
        foreach (var change in logged)
        {
            if (change.Known)
            {
                changes.Add(change);
                continue;
            }
            if (change.IsImport)
            {
                changes.Add(change);
                continue;
            }
            // The row as it is now: at least as new as the change (a row's later changes come after it in the log).
            if (!read.TryGetValue((change.Kind, change.Key), out var value))
                read[(change.Kind, change.Key)] = value = await ReadRowAsync(appId, change.Kind, change.Key);
            changes.Add(change with { Known = true, Value = value });
        }
        return (changes, next);
    }

    private async Task<object?> ReadRowAsync(string appId, CatalogEntityKind kind, string key) => kind switch
    {
        CatalogEntityKind.App => (await _store.GetAppAsync(appId, _stopping))?.Value,
        CatalogEntityKind.Channel => (await _store.GetChannelAsync(appId, key, _stopping))?.Value,
        CatalogEntityKind.Bundle => (await _store.GetBundleAsync(appId, key, _stopping))?.Value,
        CatalogEntityKind.Device => (await _store.GetDeviceAsync(appId, key, _stopping))?.Value,
        CatalogEntityKind.Segment => (await _store.GetSegmentAsync(appId, key, _stopping))?.Value,
        CatalogEntityKind.Rollout => (await _store.GetRolloutAsync(appId, key, _stopping))?.Value,
        _ => throw new InvalidDataException($"Unknown change kind {kind}."),
    };

    /// <summary>
    /// A write of this instance, applied to its snapshot at once (no storage call, no reload), and kept for an overlap in
    /// case a load running now read the log before the write's entry was there (<see cref="ApplyLocalWrites"/>).
    /// </summary>
    private void OnWritten(object? sender, CatalogChange change)
    {
        var entry = GetOrAddEntry(change.AppId);
        lock (entry)
        {
            if (entry.Loading == 0)
            {
                // Older than the overlap: visible in the log to any load that reads it from now on (or logged again).
                var visible = _clock.GetUtcNow().UtcTicks - _tracking!.Overlap.Ticks;
                while (entry.LocalWrites.TryPeek(out var oldest) && oldest.Position <= visible)
                    entry.LocalWrites.Dequeue();
            }
            entry.LocalWrites.Enqueue(change);

            // Not loaded yet, or absent: the load (or Invalidate) reads it from storage.
            if (entry.Current is not { Snapshot: { } snapshot } current)
                return;
            var applied = Apply(snapshot, [change], entry.Recent, snapshot.LoadedAt, out var manifestsDue);
            entry.Current = current with { Snapshot = applied };
            entry.ManifestsDue |= manifestsDue;
            if (manifestsDue && _manifests is not null)
                entry.Due = true;
        }
    }

    /// <summary>
    /// A finished load with this instance's recent writes on top: a load reads the log once, and a write whose entry was
    /// not stored yet (or whose row it read before the write) is otherwise missing until the next catch-up. Called under
    /// the entry's lock; the position check skips what the load already holds, or holds newer.
    /// </summary>
    private static AppSnapshot? ApplyLocalWrites(Entry entry, Loaded loaded, out bool manifestsDue)
    {
        manifestsDue = false;
        List<CatalogChange>? missed = null;
        foreach (var change in entry.LocalWrites)
        {
            if (change.Position > loaded.ReadFrom)
                (missed ??= []).Add(change);
        }
        if (missed is null)
            return loaded.Snapshot;
        if (loaded.Snapshot is null)
        {
            entry.Due = true; // written while the app looked absent: the next check looks again
            return null;
        }
        missed.Sort((a, b) => a.Position.CompareTo(b.Position));
        return Apply(loaded.Snapshot, missed, loaded.Recent, loaded.Snapshot.LoadedAt, out manifestsDue);
    }

    /// <summary>
    /// <paramref name="snapshot"/> with the changes applied in log order, each row only when its position is later than
    /// the one already applied for it (so overlap re-reads and this instance's own writes apply once); null when the app was deleted.
    /// </summary>
    private static AppSnapshot? Apply(
        AppSnapshot snapshot, List<CatalogChange> changes, Dictionary<(CatalogEntityKind Kind, string Key), long> recent,
        DateTimeOffset loadedAt, out bool manifestsDue)
    {
        manifestsDue = false;
        List<KeyValuePair<string, DeviceRecord?>>? devices = null;
        Dictionary<string, ChannelDefinition>? channels = null;
        Dictionary<string, BundleDefinition>? bundles = null;
        Dictionary<string, SegmentDefinition>? segments = null;
        Dictionary<string, RolloutDefinition>? rollouts = null;
        var app = snapshot.App;
        var appChanged = false;
        foreach (var change in changes)
        {
            if (recent.TryGetValue((change.Kind, change.Key), out var applied) && applied >= change.Position)
                continue;
            recent[(change.Kind, change.Key)] = change.Position;
            switch (change.Kind)
            {
                case CatalogEntityKind.Device when change.IsImport:
                    break; // its rows came one by one (this instance's import) or by a reload
                case CatalogEntityKind.Device:
                    (devices ??= []).Add(new(change.Key, change.Value as DeviceRecord));
                    manifestsDue |= (change.Value as DeviceRecord)?.PinnedBundle is not null;
                    break;
                case CatalogEntityKind.App when change.Value is AppDefinition definition:
                    app = definition;
                    appChanged = true;
                    break;
                case CatalogEntityKind.App:
                    return null;
                case CatalogEntityKind.Channel:
                    Set(channels ??= new(snapshot.Channels, StringComparer.Ordinal), change);
                    break;
                case CatalogEntityKind.Bundle:
                    Set(bundles ??= new(snapshot.Bundles, StringComparer.Ordinal), change);
                    break;
                case CatalogEntityKind.Segment:
                    Set(segments ??= snapshot.Segments.ToDictionary(s => s.Name, StringComparer.Ordinal), change);
                    break;
                case CatalogEntityKind.Rollout:
                    Set(rollouts ??= snapshot.Rollouts.ToDictionary(r => r.Id, StringComparer.Ordinal), change);
                    break;
            }
        }

        var deviceRows = devices is null ? snapshot.Devices : snapshot.Devices.Apply(devices);
        if (!appChanged && channels is null && bundles is null && segments is null && rollouts is null)
            return snapshot.WithDevices(deviceRows, loadedAt);

        manifestsDue = true;
        // The small tables are rebuilt (tens of rows); the manifests attached so far stay until the next attach.
        return new AppSnapshot(app, channels?.Values ?? snapshot.Channels.Values.AsEnumerable(), bundles?.Values ?? snapshot.Bundles.Values.AsEnumerable(),
                deviceRows, loadedAt, segments?.Values ?? snapshot.Segments.AsEnumerable(), rollouts?.Values ?? snapshot.Rollouts.AsEnumerable())
            .WithManifests(snapshot.Manifests);
    }

    private static void Set<T>(Dictionary<string, T> rows, CatalogChange change)
    {
        if (change.Value is T value)
            rows[change.Key] = value;
        else
            rows.Remove(change.Key);
    }

    /// <summary>Forgets rows changed at or before the cursor: no later read returns those changes again.</summary>
    private static void Prune(Dictionary<(CatalogEntityKind Kind, string Key), long> recent, long cursor)
    {
        foreach (var (key, position) in recent)
        {
            if (position <= cursor)
                recent.Remove(key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The snapshot blob of app {AppId} cannot be used; loading the app from the tables instead")]
    private partial void LogBlobUnusable(Exception exception, string appId);
}
