using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// The user delegation key that signs read SAS URLs under managed identity, fetched once and renewed in the
/// background well before it expires: a signer asks for a key valid until its URLs' expiry and gets the cached one
/// at once, so update checks never wait for Microsoft Entra ID or storage once a key was fetched.
/// </summary>
internal sealed partial class UserDelegationKeyCache(
    Func<DateTimeOffset, DateTimeOffset, CancellationToken, Task<UserDelegationKey>> fetch,
    TimeSpan keyLifetime,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>Keys start this much before now: clocks of this instance and of storage may disagree a little.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private volatile UserDelegationKey? _key;
    private Task<UserDelegationKey>? _fetching;

    /// <summary>How many keys were requested from storage (for tests and diagnostics).</summary>
    public int Fetches => Volatile.Read(ref _fetches);
    private int _fetches;

    /// <summary>A key valid at least until <paramref name="validUntil"/>; waits for storage only when none is cached.</summary>
    public ValueTask<UserDelegationKey> GetAsync(DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        if (_key is { } key && key.SignedExpiresOn >= validUntil)
        {
            // Past half its life, a new key is fetched in the background while this one keeps signing.
            if (clock.GetUtcNow() >= key.SignedExpiresOn - keyLifetime / 2)
                _ = RenewInBackgroundAsync();
            return ValueTask.FromResult(key);
        }

        return new ValueTask<UserDelegationKey>(FetchSharedAsync().WaitAsync(cancellationToken));
    }

    /// <summary>For tests: completes when a fetch in flight (if any) has ended.</summary>
    internal Task WhenIdleAsync()
    {
        lock (_gate)
            return _fetching is { } fetching ? fetching.ContinueWith(static _ => { }, TaskScheduler.Default) : Task.CompletedTask;
    }

    private async Task RenewInBackgroundAsync()
    {
        try
        {
            await FetchSharedAsync();
        }
        catch (Exception ex)
        {
            // The current key is still valid for half its life: the next signer asks again.
            LogRenewalFailed(ex);
        }
    }

    private Task<UserDelegationKey> FetchSharedAsync()
    {
        lock (_gate)
            return _fetching ??= FetchAsync();
    }

    private async Task<UserDelegationKey> FetchAsync()
    {
        try
        {
            // Not the caller's token: the fetch is shared, and one caller giving up must not fail it for the others.
            await Task.Yield();
            var now = clock.GetUtcNow();
            Interlocked.Increment(ref _fetches);
            UserDelegationKey key;
            try
            {
                key = await fetch(now - ClockSkew, now + keyLifetime, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not StorageUnavailableException)
            {
                // Whatever failed (network, or a missing role assignment), no URL can be signed without a key.
                throw StorageFailures.Unavailable("getting a user delegation key to sign download URLs", ex);
            }

            _key = key;
            LogFetched(key.SignedExpiresOn);
            return key;
        }
        finally
        {
            lock (_gate)
                _fetching = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched a user delegation key for download URLs, valid until {ExpiresOn}")]
    private partial void LogFetched(DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the user delegation key for download URLs failed; the current key keeps signing")]
    private partial void LogRenewalFailed(Exception exception);
}
