using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Core.Tests.Management;

public sealed class ManagementAuthenticatorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private sealed class ListStore : IApiKeyStore
    {
        public List<ApiKey> Keys { get; } = [];
        public int Reads { get; private set; }

        public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<ApiKey>>([.. Keys]);
        }

        public Task AddAsync(ApiKey key, CancellationToken cancellationToken) { Keys.Add(key); return Task.CompletedTask; }

        public Task UpdateAsync(ApiKey key, CancellationToken cancellationToken)
        {
            Keys.RemoveAll(k => k.Id == key.Id);
            Keys.Add(key);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_warm_check_reads_no_storage_and_a_revocation_elsewhere_counts_within_one_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new ListStore();
        var (secret, hash) = ApiKeySecrets.Mint();
        var key = new ApiKey("k_1", hash, "ci", ApiRole.Write, null, null, clock.GetUtcNow());
        store.Keys.Add(key);
        using var authenticator = new ManagementAuthenticator(store, null, Interval, clock);

        var first = await authenticator.AuthenticateAsync(secret, CancellationToken.None);
        var warm = await authenticator.AuthenticateAsync(secret, CancellationToken.None);
        await store.UpdateAsync(key with { RevokedAt = clock.GetUtcNow() }, CancellationToken.None);
        var stillCached = await authenticator.AuthenticateAsync(secret, CancellationToken.None);
        clock.Advance(Interval);
        var refreshed = await authenticator.AuthenticateAsync(secret, CancellationToken.None);

        Assert.Equal(ApiRole.Write, first!.Role);
        Assert.NotNull(warm);
        Assert.NotNull(stillCached);
        Assert.Null(refreshed);
        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task An_expired_key_is_refused_and_the_bootstrap_key_is_an_admin_without_storage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new ListStore();
        var (secret, hash) = ApiKeySecrets.Mint();
        store.Keys.Add(new ApiKey("k_1", hash, "ci", ApiRole.Read, ["com.a.b"], clock.GetUtcNow().AddMinutes(1), clock.GetUtcNow()));
        using var authenticator = new ManagementAuthenticator(store, "bootstrap-secret-of-enough-length", Interval, clock);

        var bootstrap = await authenticator.AuthenticateAsync("bootstrap-secret-of-enough-length", CancellationToken.None);
        var beforeExpiry = await authenticator.AuthenticateAsync(secret, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterExpiry = await authenticator.AuthenticateAsync(secret, CancellationToken.None);
        var garbage = await authenticator.AuthenticateAsync(null, CancellationToken.None);

        Assert.Equal((ManagementCaller.BootstrapKeyId, ApiRole.Admin, false), (bootstrap!.KeyId, bootstrap.Role, bootstrap.IsLimited));
        Assert.Equal("ci", beforeExpiry!.Name);
        Assert.Equal(DateTimeOffset.Parse("2025-01-01T00:01:00Z", System.Globalization.CultureInfo.InvariantCulture), beforeExpiry.ExpiresAt);
        Assert.True(beforeExpiry.MaySee("com.a.b"));
        Assert.False(beforeExpiry.MaySee("com.c.d"));
        Assert.Null(afterExpiry);
        Assert.Null(garbage);
    }

    [Fact]
    public void A_minted_secret_is_uf_and_43_base64url_characters_and_only_its_hash_is_kept()
    {
        var (secret, hash) = ApiKeySecrets.Mint();

        Assert.Matches("^uf_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal(ApiKeySecrets.Hash(secret), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }
}
