using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Turns a bearer secret into a <see cref="ManagementCaller"/>. Keys are held in memory and reloaded from
/// <see cref="IApiKeyStore"/> when older than the refresh interval (the snapshot refresh interval), so a warm check
/// costs no storage call and a revocation reaches every instance within one interval; <see cref="Invalidate"/>
/// makes it immediate on the instance that changed a key.
/// </summary>
public sealed class ManagementAuthenticator : IDisposable
{
    private readonly IApiKeyStore _store;
    private readonly byte[]? _bootstrapHash;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Cache? _cache;

    public ManagementAuthenticator(IApiKeyStore store, string? bootstrapKey, TimeSpan refreshInterval, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        _store = store;
        _bootstrapHash = string.IsNullOrEmpty(bootstrapKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(bootstrapKey));
        _refreshInterval = refreshInterval;
        _clock = clock;
    }

    /// <summary>The caller a bearer secret stands for, or null when it is unknown, expired or revoked.</summary>
    public async ValueTask<ManagementCaller?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.LooksLikeKey(secret))
            return null;

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrapHash))
            return new ManagementCaller(ManagementCaller.BootstrapKeyId, ApiRole.Admin, null);

        var cache = await GetCacheAsync(cancellationToken);
        return cache.Keys.TryGetValue(Convert.ToHexStringLower(hash), out var key) && key.IsActiveAt(_clock.GetUtcNow())
            ? new ManagementCaller(key.Id, key.Role, key.Apps, key.Name, key.ExpiresAt)
            : null;
    }

    /// <summary>Forgets the cached keys: the next check on this instance reads storage (after a key changed here).</summary>
    public void Invalidate() => _cache = null;

    public void Dispose() => _loading.Dispose();

    private async ValueTask<Cache> GetCacheAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } warm && _clock.GetElapsedTime(warm.LoadedAt) < _refreshInterval)
            return warm;

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } loaded && _clock.GetElapsedTime(loaded.LoadedAt) < _refreshInterval)
                return loaded;
            var startedAt = _clock.GetTimestamp();
            var keys = await _store.ListAsync(cancellationToken);
            var cache = new Cache(keys.ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal), startedAt);
            _cache = cache;
            return cache;
        }
        finally
        {
            _loading.Release();
        }
    }

    private sealed record Cache(FrozenDictionary<string, ApiKey> Keys, long LoadedAt);
}
