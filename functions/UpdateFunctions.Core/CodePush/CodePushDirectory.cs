using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// Deployment keys and release histories held in memory, stale-while-revalidate like app snapshots: a fresh copy
/// (younger than the refresh interval) answers with no storage call, a stale one answers at once while one background
/// reload runs, a failed reload keeps the last good copy. Only a first load waits for storage. An unknown key is
/// answered from the index, so a flood of made-up keys never reaches storage.
/// </summary>
public sealed class CodePushDirectory(ICodePushStore store, TimeProvider clock, TimeSpan refreshInterval)
{
    private readonly ConcurrentDictionary<string, Cached<CodePushHistory>> _histories = new(StringComparer.Ordinal);
    private readonly Lock _keysLock = new();
    private Cached<FrozenDictionary<string, DeploymentKey>>? _keys;

    /// <summary>The key with this hash, or null. Throws <see cref="Persistence.StorageUnavailableException"/> only before a first load.</summary>
    public async ValueTask<DeploymentKey?> FindKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        Cached<FrozenDictionary<string, DeploymentKey>> keys;
        lock (_keysLock)
            keys = _keys ??= new Cached<FrozenDictionary<string, DeploymentKey>>(LoadKeysAsync);
        var index = await keys.GetAsync(clock, refreshInterval, cancellationToken);
        return index.TryGetValue(keyHash, out var key) ? key : null;
    }

    /// <summary>The app's release history.</summary>
    public ValueTask<CodePushHistory> GetHistoryAsync(string appId, CancellationToken cancellationToken) =>
        _histories.GetOrAdd(appId, id => new Cached<CodePushHistory>(ct => LoadHistoryAsync(id, ct)))
            .GetAsync(clock, refreshInterval, cancellationToken);

    /// <summary>Drops the cached keys so the next call on this instance reads storage (after a local write).</summary>
    public void InvalidateKeys()
    {
        lock (_keysLock)
            _keys = null;
    }

    /// <summary>Drops the app's cached history (after a local write).</summary>
    public void Invalidate(string appId) => _histories.TryRemove(appId, out _);

    private async Task<FrozenDictionary<string, DeploymentKey>> LoadKeysAsync(CancellationToken cancellationToken) =>
        (await store.ListKeysAsync(cancellationToken)).ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal);

    private async Task<CodePushHistory> LoadHistoryAsync(string appId, CancellationToken cancellationToken) =>
        new((await store.ListReleasesAsync(appId, cancellationToken)).Select(r => r.Value), clock.GetUtcNow());

    /// <summary>One cached value with its load time and at most one reload in flight.</summary>
    private sealed class Cached<T>(Func<CancellationToken, Task<T>> load) where T : class
    {
        private readonly Lock _lock = new();
        private (T Value, long LoadedAt)? _current;
        private Task<T>? _loading;

        public async ValueTask<T> GetAsync(TimeProvider clock, TimeSpan refreshInterval, CancellationToken cancellationToken)
        {
            Task<T> first;
            lock (_lock)
            {
                if (_current is { } current)
                {
                    if (clock.GetElapsedTime(current.LoadedAt) >= refreshInterval && _loading is null)
                        _loading = ReloadAsync(clock);
                    return current.Value;
                }
                first = _loading ??= ReloadAsync(clock);
            }
            return await first.WaitAsync(cancellationToken);
        }

        private async Task<T> ReloadAsync(TimeProvider clock)
        {
            await Task.Yield();
            try
            {
                // Not the caller's token: a reload serves every later caller, whoever started it.
                var value = await load(CancellationToken.None);
                lock (_lock)
                    _current = (value, clock.GetTimestamp());
                return value;
            }
            catch when (_current is not null)
            {
                // Keep serving the last good value and retry one interval later, not on every call.
                lock (_lock)
                    _current = (_current!.Value.Value, clock.GetTimestamp());
                throw;
            }
            finally
            {
                lock (_lock)
                    _loading = null;
            }
        }
    }
}
