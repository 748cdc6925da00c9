using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Blobs;

namespace UpdateFunctions.Storage.Tests.Blobs;

public sealed class UserDelegationKeyCacheTests
{
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(DateTimeOffset StartsOn, DateTimeOffset ExpiresOn)> _fetches = [];
    private Func<Exception?> _failure = () => null;

    private UserDelegationKeyCache Cache() => new((startsOn, expiresOn, _) =>
    {
        lock (_fetches)
            _fetches.Add((startsOn, expiresOn));
        return _failure() is { } failure
            ? Task.FromException<UserDelegationKey>(failure)
            : Task.FromResult(BlobsModelFactory.UserDelegationKey("oid", "tid", startsOn, expiresOn, "b", "v", $"key{_fetches.Count}"));
    }, KeyLifetime, _clock, NullLogger.Instance);

    private DateTimeOffset InAQuarterHour => _clock.GetUtcNow().AddMinutes(15);

    [Fact]
    public async Task The_first_signer_waits_for_a_key_and_the_next_ones_reuse_it()
    {
        var cache = Cache();

        var first = await cache.GetAsync(InAQuarterHour, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(6));
        var later = await cache.GetAsync(InAQuarterHour, CancellationToken.None);

        Assert.Same(first, later);
        var fetch = Assert.Single(_fetches);
        Assert.Equal((_clock.GetUtcNow().AddHours(-6) - UserDelegationKeyCache.ClockSkew, _clock.GetUtcNow().AddHours(-6) + KeyLifetime), fetch);
    }

    [Fact]
    public async Task Past_half_its_life_a_key_is_renewed_in_the_background_while_it_keeps_signing()
    {
        var cache = Cache();
        var first = await cache.GetAsync(InAQuarterHour, CancellationToken.None);

        _clock.Advance(KeyLifetime / 2);
        var during = await cache.GetAsync(InAQuarterHour, CancellationToken.None);
        await cache.WhenIdleAsync();
        var after = await cache.GetAsync(InAQuarterHour, CancellationToken.None);

        Assert.Same(first, during);
        Assert.Equal(2, _fetches.Count);
        Assert.NotSame(first, after);
        Assert.Equal("key2", after.Value);
    }

    [Fact]
    public async Task A_key_ending_before_the_urls_would_is_replaced_before_signing()
    {
        var cache = Cache();
        var first = await cache.GetAsync(InAQuarterHour, CancellationToken.None);

        var longer = await cache.GetAsync(first.SignedExpiresOn.AddMinutes(1), CancellationToken.None);

        Assert.NotSame(first, longer);
        Assert.Equal(2, _fetches.Count);
    }

    [Fact]
    public async Task With_no_key_a_failed_fetch_is_StorageUnavailableException_and_the_next_call_tries_again()
    {
        var cache = Cache();
        _failure = () => new Azure.RequestFailedException(403, "AuthorizationPermissionMismatch");

        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await cache.GetAsync(InAQuarterHour, CancellationToken.None));
        _failure = () => null;
        var key = await cache.GetAsync(InAQuarterHour, CancellationToken.None);

        Assert.Equal(2, _fetches.Count);
        Assert.NotNull(key);
    }

    [Fact]
    public async Task A_failed_background_renewal_keeps_the_current_key()
    {
        var cache = Cache();
        var first = await cache.GetAsync(InAQuarterHour, CancellationToken.None);
        _clock.Advance(KeyLifetime * 3 / 4);
        _failure = () => new HttpRequestException("network down");

        var during = await cache.GetAsync(InAQuarterHour, CancellationToken.None);
        await cache.WhenIdleAsync();
        var after = await cache.GetAsync(InAQuarterHour, CancellationToken.None);
        await cache.WhenIdleAsync();

        Assert.Same(first, during);
        Assert.Same(first, after);
        Assert.Equal(3, _fetches.Count);
    }
}
