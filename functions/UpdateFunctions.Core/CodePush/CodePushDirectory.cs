using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// Deployment keys and release histories held in memory, stale-while-revalidate like app snapshots: a fresh copy
/// (younger than the refresh interval) answers with no storage call, a stale one answers at once while one background
/// reload runs, a failed reload keeps the last good copy. Only a first load waits for storage. An unknown key is
/// answered from the index, so a flood of made-up keys never reaches storage. A reload first reads the store's version
/// token (one point read) and reads the keys or releases again only when it moved, or every
/// <see cref="FullReloadInterval"/> in case a writer stopped between its write and the token.
/// </summary>
public sealed class CodePushDirectory(ICodePushStore store, TimeProvider clock, TimeSpan refreshInterval)
{
    /// <summary>How often a copy is read whole even when the version token has not moved.</summary>
    public static readonly TimeSpan FullReloadInterval = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Cached<CodePushHistory>> _histories = new(StringComparer.Ordinal);
    private Cached<FrozenDictionary<string, DeploymentKey>>? _keys;

    /// <summary>The key with this hash, or null. Throws <see cref="Persistence.StorageUnavailableException"/> only before a first load.</summary>
    public async ValueTask<DeploymentKey?> FindKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        var keys = Volatile.Read(ref _keys);
        if (keys is null)
        {
            var created = new Cached<FrozenDictionary<string, DeploymentKey>>(LoadKeysAsync, store.GetKeysVersionAsync);
            keys = Interlocked.CompareExchange(ref _keys, created, null) ?? created;
        }
        var index = await keys.GetAsync(clock, refreshInterval, cancellationToken);
        return index.TryGetValue(keyHash, out var key) ? key : null;
    }

    /// <summary>The app's release history.</summary>
    public ValueTask<CodePushHistory> GetHistoryAsync(string appId, CancellationToken cancellationToken) =>
        _histories.GetOrAdd(appId, id => new Cached<CodePushHistory>(ct => LoadHistoryAsync(id, ct), ct => store.GetReleasesVersionAsync(id, ct)))
            .GetAsync(clock, refreshInterval, cancellationToken);

    /// <summary>Drops the cached keys so the next call on this instance reads storage (after a local write).</summary>
    public void InvalidateKeys() => Volatile.Write(ref _keys, null);

    /// <summary>Drops the app's cached history (after a local write).</summary>
    public void Invalidate(string appId) => _histories.TryRemove(appId, out _);

    private async Task<FrozenDictionary<string, DeploymentKey>> LoadKeysAsync(CancellationToken cancellationToken) =>
        (await store.ListKeysAsync(cancellationToken)).ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal);

    private async Task<CodePushHistory> LoadHistoryAsync(string appId, CancellationToken cancellationToken) =>
        new((await store.ListReleasesAsync(appId, cancellationToken)).Select(r => r.Value), clock.GetUtcNow());

    /// <summary>
    /// One cached value with its load time and at most one reload in flight. A check that finds a value reads one
    /// volatile field and takes no lock; only starting a reload and a first load do.
    /// </summary>
    private sealed class Cached<T>(Func<CancellationToken, Task<T>> load, Func<CancellationToken, Task<string?>> readVersion) where T : class
    {
        /// <summary>The value, when it was last confirmed current, the version it was read at, and when it was read whole.</summary>
        private sealed record Loaded(T Value, long LoadedAt, string? Version, long ReadAt);

        private readonly Lock _lock = new();
        private volatile Loaded? _current;
        private Task<T>? _loading;

        public ValueTask<T> GetAsync(TimeProvider clock, TimeSpan refreshInterval, CancellationToken cancellationToken)
        {
            if (_current is { } current)
            {
                if (clock.GetElapsedTime(current.LoadedAt) >= refreshInterval && Volatile.Read(ref _loading) is null)
                {
                    lock (_lock)
                        _loading ??= ReloadAsync(clock);
                }
                return ValueTask.FromResult(current.Value);
            }
            return FirstLoadAsync(clock, cancellationToken);
        }

        private async ValueTask<T> FirstLoadAsync(TimeProvider clock, CancellationToken cancellationToken)
        {
            Task<T> first;
            lock (_lock)
            {
                if (_current is { } loaded)
                    return loaded.Value;
                first = _loading ??= ReloadAsync(clock);
            }
            return await first.WaitAsync(cancellationToken);
        }

        private async Task<T> ReloadAsync(TimeProvider clock)
        {
            await Task.Yield();
            try
            {
                // Not the caller's token: a reload serves every later caller, whoever started it. The version is read
                // first: a write landing during the read moves it, and the next reload reads again.
                var version = await readVersion(CancellationToken.None);
                if (_current is { } known && known.Version == version && clock.GetElapsedTime(known.ReadAt) < FullReloadInterval)
                {
                    _current = known with { LoadedAt = clock.GetTimestamp() };
                    return known.Value;
                }
                var value = await load(CancellationToken.None);
                var now = clock.GetTimestamp();
                _current = new Loaded(value, now, version, now);
                return value;
            }
            catch when (_current is { } last)
            {
                // Keep serving the last good value and retry one interval later, not on every call. Nobody awaits a
                // background reload, so it ends with that value instead of an exception no one would observe.
                _current = last with { LoadedAt = clock.GetTimestamp() };
                return last.Value;
            }
            finally
            {
                lock (_lock)
                    _loading = null;
            }
        }
    }
}
