using System.Globalization;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.InMemory;

/// <summary>
/// <see cref="ICatalogStore"/> in process memory, with the same semantics as the table store (same key rules,
/// same conditions and conflicts). ETags are counters. Thread-safe. For benchmarks and tests; nothing survives the process.
/// </summary>
public sealed class InMemoryCatalogStore(TimeProvider clock) : ICatalogStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row<AppDefinition>> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<(string App, string Key), Row<ChannelDefinition>> _channels = [];
    private readonly Dictionary<(string App, string Key), Row<BundleDefinition>> _bundles = [];
    private readonly Dictionary<(string App, string Key), Row<DeviceRecord>> _devices = [];
    private readonly Dictionary<(string App, string Key), Row<SegmentDefinition>> _segments = [];
    private readonly Dictionary<(string App, string Key), Row<RolloutDefinition>> _rollouts = [];
    private long _version;

    public Task<AppSnapshot?> LoadSnapshotAsync(string appId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        cancellationToken.ThrowIfCancellationRequested();
        var loadedAt = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var app))
                return Task.FromResult<AppSnapshot?>(null);
            return Task.FromResult<AppSnapshot?>(new AppSnapshot(
                app.Value,
                Partition(_channels, appId),
                Partition(_bundles, appId),
                Partition(_devices, appId),
                loadedAt,
                Partition(_segments, appId),
                Partition(_rollouts, appId)));
        }
    }

    public Task<Versioned<AppDefinition>?> GetAppAsync(string appId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
            return Task.FromResult(_apps.TryGetValue(appId, out var row) ? row.ToVersioned() : null);
    }

    public Task<IReadOnlyList<AppDefinition>> ListAppsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<AppDefinition> apps = _apps.Values.Select(r => r.Value).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(apps);
        }
    }

    public Task<string> PutAppAsync(AppDefinition app, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        StorageKeys.Check(app.Id, nameof(app));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Put(_apps, app.Id, app, condition, $"apps/{app.Id}"));
    }

    public Task<Versioned<ChannelDefinition>?> GetChannelAsync(string appId, string channel, CancellationToken cancellationToken) =>
        Get(_channels, Key(appId, channel, nameof(channel)), cancellationToken);

    public Task<string> PutChannelAsync(string appId, ChannelDefinition channel, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Put(_channels, Key(appId, channel.Name, nameof(channel)), channel, condition, cancellationToken);
    }

    public Task DeleteChannelAsync(string appId, string channel, WriteCondition condition, CancellationToken cancellationToken) =>
        Delete(_channels, Key(appId, channel, nameof(channel)), condition, cancellationToken);

    public Task<Versioned<BundleDefinition>?> GetBundleAsync(string appId, string version, CancellationToken cancellationToken) =>
        Get(_bundles, Key(appId, version, nameof(version)), cancellationToken);

    public Task<string> PutBundleAsync(string appId, BundleDefinition bundle, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return Put(_bundles, Key(appId, bundle.Version, nameof(bundle)), bundle, condition, cancellationToken);
    }

    public Task DeleteBundleAsync(string appId, string version, WriteCondition condition, CancellationToken cancellationToken) =>
        Delete(_bundles, Key(appId, version, nameof(version)), condition, cancellationToken);

    public Task<Versioned<DeviceRecord>?> GetDeviceAsync(string appId, string deviceId, CancellationToken cancellationToken) =>
        Get(_devices, Key(appId, deviceId, nameof(deviceId)), cancellationToken);

    public Task<string> PutDeviceAsync(string appId, DeviceRecord device, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Put(_devices, Key(appId, device.DeviceId, nameof(device)), device, condition, cancellationToken);
    }

    public Task<Versioned<SegmentDefinition>?> GetSegmentAsync(string appId, string segment, CancellationToken cancellationToken) =>
        Get(_segments, Key(appId, segment, nameof(segment)), cancellationToken);

    public Task<string> PutSegmentAsync(string appId, SegmentDefinition segment, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Put(_segments, Key(appId, segment.Name, nameof(segment)), segment, condition, cancellationToken);
    }

    public Task DeleteSegmentAsync(string appId, string segment, WriteCondition condition, CancellationToken cancellationToken) =>
        Delete(_segments, Key(appId, segment, nameof(segment)), condition, cancellationToken);

    public Task<Versioned<RolloutDefinition>?> GetRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken) =>
        Get(_rollouts, Key(appId, rolloutId, nameof(rolloutId)), cancellationToken);

    public Task<IReadOnlyList<Versioned<RolloutDefinition>>> ListRolloutsAsync(string appId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<Versioned<RolloutDefinition>> rows = _rollouts.Where(pair => pair.Key.App == appId).Select(pair => pair.Value.ToVersioned())
                .OrderBy(r => r.Value.CreatedAt).ThenBy(r => r.Value.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(rows);
        }
    }

    public Task<string> PutRolloutAsync(string appId, RolloutDefinition rollout, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return Put(_rollouts, Key(appId, rollout.Id, nameof(rollout)), rollout, condition, cancellationToken);
    }

    public Task DeleteRolloutAsync(string appId, string rolloutId, WriteCondition condition, CancellationToken cancellationToken) =>
        Delete(_rollouts, Key(appId, rolloutId, nameof(rolloutId)), condition, cancellationToken);

    public Task DeleteDeviceAsync(string appId, string deviceId, WriteCondition condition, CancellationToken cancellationToken) =>
        Delete(_devices, Key(appId, deviceId, nameof(deviceId)), condition, cancellationToken);

    private static (string App, string Key) Key(string appId, string key, string keyName) =>
        (StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(key, keyName));

    private static List<T> Partition<T>(Dictionary<(string App, string Key), Row<T>> table, string appId) =>
        table.Where(pair => pair.Key.App == appId).Select(pair => pair.Value.Value).ToList();

    private Task<Versioned<T>?> Get<T>(Dictionary<(string App, string Key), Row<T>> table, (string App, string Key) key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
            return Task.FromResult(table.TryGetValue(key, out var row) ? row.ToVersioned() : null);
    }

    private Task<string> Put<T>(Dictionary<(string App, string Key), Row<T>> table, (string App, string Key) key, T value, WriteCondition condition, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Put(table, key, value, condition, $"{typeof(T).Name}/{key.App}/{key.Key}"));
    }

    private string Put<TKey, T>(Dictionary<TKey, Row<T>> table, TKey key, T value, WriteCondition condition, string what)
        where TKey : notnull
    {
        lock (_gate)
        {
            var exists = table.TryGetValue(key, out var current);
            if (condition.MustNotExist && exists)
                throw new ConcurrencyConflictException($"Conflict writing {what}: the row already exists.");
            if (condition.IfMatch is { } etag && (!exists || current!.ETag != etag))
                throw new ConcurrencyConflictException($"Conflict writing {what}: the row changed or was deleted since ETag {etag}.");

            var row = new Row<T>(value, NextETag());
            table[key] = row;
            return row.ETag;
        }
    }

    private Task Delete<T>(Dictionary<(string App, string Key), Row<T>> table, (string App, string Key) key, WriteCondition condition, CancellationToken cancellationToken)
    {
        if (condition.MustNotExist)
            throw new ArgumentException("A delete takes WriteCondition.Any or WriteCondition.Matching, not Create.", nameof(condition));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!table.TryGetValue(key, out var current))
                return Task.CompletedTask;
            if (condition.IfMatch is { } etag && current.ETag != etag)
                throw new ConcurrencyConflictException($"Conflict deleting {typeof(T).Name}/{key.App}/{key.Key}: the row changed since ETag {etag}.");
            table.Remove(key);
            return Task.CompletedTask;
        }
    }

    private string NextETag() => "W/\"" + (++_version).ToString(CultureInfo.InvariantCulture) + "\"";

    private sealed record Row<T>(T Value, string ETag)
    {
        public Versioned<T> ToVersioned() => new(Value, ETag);
    }
}
