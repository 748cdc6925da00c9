using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// The download URLs update answers carry. By default the CDN (<see cref="StorageOptions.BundleBaseUrl"/>) or the
/// container's own URL, which never change. With <see cref="StorageOptions.SignedUrls"/> on, read-only SAS URLs of the
/// blob endpoint: time is cut into periods of half the lifetime, each period has one signer whose URLs expire one
/// lifetime after the period starts, so a URL handed out is valid for at least half the lifetime, every check in a
/// period gets the same URL (signed once, then cached), and nothing is signed per request. The SAS is signed with
/// the account key when the client has one (connection string, Azurite), else with a user delegation key
/// (managed identity), cached and renewed in the background.
/// </summary>
public sealed class BlobDownloadUrls : IDownloadUrlSource
{
    private readonly BlobServiceClient _service;
    private readonly BlobContainerClient _container;
    private readonly TimeProvider _clock;
    private readonly DownloadUrlSigner? _unsigned;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _period;
    private readonly SasProtocol _protocol;
    private readonly UserDelegationKeyCache _keys;
    private volatile PeriodSigner? _current;

    public BlobDownloadUrls(BlobServiceClient blobs, IOptions<StorageOptions> options, TimeProvider clock, ILogger<BlobDownloadUrls> logger)
        : this(blobs, options, clock, logger, fetchKey: null)
    {
    }

    /// <param name="fetchKey">Gets a user delegation key (start, expiry); null asks the blob service. For tests.</param>
    internal BlobDownloadUrls(
        BlobServiceClient blobs, IOptions<StorageOptions> options, TimeProvider clock, ILogger<BlobDownloadUrls> logger,
        Func<DateTimeOffset, DateTimeOffset, CancellationToken, Task<UserDelegationKey>>? fetchKey)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var settings = options.Value;
        _service = blobs;
        _container = blobs.GetBlobContainerClient(settings.BundlesContainer);
        _clock = clock;
        _lifetime = settings.SignedUrls.Lifetime;
        _period = _lifetime / 2;
        _protocol = _container.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp;
        // Keys live long and are renewed at half-life: a handful of fetches a day per instance.
        _keys = new UserDelegationKeyCache(fetchKey ?? FetchKeyAsync, TimeSpan.FromDays(1) + _lifetime * 2, clock, logger);
        if (!settings.SignedUrls.Enabled)
            _unsigned = new FixedSigner(settings.BundleBaseUrl?.AbsoluteUri ?? _container.Uri.AbsoluteUri);
    }

    /// <summary>The user delegation keys behind the signatures (for tests and diagnostics).</summary>
    internal UserDelegationKeyCache Keys => _keys;

    public ValueTask<DownloadUrlSigner> GetSignerAsync(CancellationToken cancellationToken)
    {
        if (_unsigned is not null)
            return ValueTask.FromResult(_unsigned);

        var now = _clock.GetUtcNow();
        if (_current is { } current && now >= current.StartsOn && now < current.RenewAfter)
            return ValueTask.FromResult<DownloadUrlSigner>(current);
        return CreateSignerAsync(now, cancellationToken);
    }

    private async ValueTask<DownloadUrlSigner> CreateSignerAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var startsOn = new DateTimeOffset(now.UtcTicks - now.UtcTicks % _period.Ticks, TimeSpan.Zero);
        var expiresOn = startsOn + _lifetime;
        PeriodSigner signer = _container.CanGenerateSasUri
            ? new AccountKeySigner(_container, startsOn, startsOn + _period, expiresOn, _protocol)
            : new DelegationSigner(_container, _service.AccountName, await _keys.GetAsync(expiresOn, cancellationToken),
                startsOn, startsOn + _period, expiresOn, _protocol);
        _current = signer;
        return signer;
    }

    private async Task<UserDelegationKey> FetchKeyAsync(DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken) =>
        (await _service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expiresOn) { StartsOn = startsOn }, cancellationToken)).Value;

    /// <summary>URLs that never change: the CDN base or the container, plus the blob path.</summary>
    private sealed class FixedSigner(string baseUrl) : DownloadUrlSigner
    {
        private readonly string _prefix = baseUrl.TrimEnd('/') + "/";

        public override DateTimeOffset RenewAfter => DateTimeOffset.MaxValue;

        public override string GetUrl(string blobPath) => _prefix + blobPath;
    }

    /// <summary>The signer of one period; each blob's URL is signed once per period.</summary>
    private abstract class PeriodSigner(BlobContainerClient container, DateTimeOffset startsOn, DateTimeOffset renewAfter, DateTimeOffset expiresOn, SasProtocol protocol)
        : DownloadUrlSigner
    {
        private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);

        public DateTimeOffset StartsOn { get; } = startsOn;

        public override DateTimeOffset RenewAfter { get; } = renewAfter;

        protected BlobContainerClient Container { get; } = container;

        public override string GetUrl(string blobPath) => _urls.GetOrAdd(blobPath, static (path, self) => self.Sign(path), this);

        /// <summary>
        /// Read one blob, until the end of the lifetime. No start time: a SAS without one is valid at once, whatever
        /// the device's or storage's clock says.
        /// </summary>
        protected BlobSasBuilder Builder(string blobPath)
        {
            var builder = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
            {
                BlobContainerName = Container.Name,
                BlobName = blobPath,
                Resource = "b",
                Protocol = protocol,
            };
            return builder;
        }

        protected abstract string Sign(string blobPath);
    }

    private sealed class AccountKeySigner(BlobContainerClient container, DateTimeOffset startsOn, DateTimeOffset renewAfter, DateTimeOffset expiresOn, SasProtocol protocol)
        : PeriodSigner(container, startsOn, renewAfter, expiresOn, protocol)
    {
        protected override string Sign(string blobPath) =>
            Container.GetBlobClient(blobPath).GenerateSasUri(Builder(blobPath)).AbsoluteUri;
    }

    private sealed class DelegationSigner(
        BlobContainerClient container, string accountName, UserDelegationKey key,
        DateTimeOffset startsOn, DateTimeOffset renewAfter, DateTimeOffset expiresOn, SasProtocol protocol)
        : PeriodSigner(container, startsOn, renewAfter, expiresOn, protocol)
    {
        protected override string Sign(string blobPath) =>
            new BlobUriBuilder(Container.GetBlobClient(blobPath).Uri) { Sas = Builder(blobPath).ToSasQueryParameters(key, accountName) }
                .ToUri().AbsoluteUri;
    }
}
