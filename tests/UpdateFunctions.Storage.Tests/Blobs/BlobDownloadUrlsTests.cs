using System.Net;
using System.Web;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Blobs;

/// <summary>Download URLs of update answers: fixed (CDN) by default, read SAS URLs of a private container when signed.</summary>
public sealed class BlobDownloadUrlsTests : TestTimeout, IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly AzuriteFixture _azurite;
    private readonly string _appId = "com.test.u" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _anonymous = new();

    public BlobDownloadUrlsTests(AzuriteFixture azurite) => _azurite = azurite;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _anonymous.Dispose();
        base.Dispose(disposing);
    }

    private BlobDownloadUrls Urls(bool signed, Uri? cdn = null, TimeProvider? clock = null, RequestCounter? counter = null) => new(
        counter is null ? StorageClients.Blobs(_azurite) : StorageClients.Blobs(_azurite, counter),
        StorageClients.Options(_azurite, o =>
        {
            o.BundleBaseUrl = cdn;
            o.SignedUrls = new SignedUrlOptions { Enabled = signed, Lifetime = Lifetime };
        }),
        clock ?? _clock,
        NullLogger<BlobDownloadUrls>.Instance);

    /// <summary>A blob in the fixture's container, which is private (no anonymous access).</summary>
    private async Task<(string Path, byte[] Bytes)> PrivateBlobAsync(string name = "files/aaaa")
    {
        var container = StorageClients.Blobs(_azurite).GetBlobContainerClient(_azurite.BundlesContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        var path = $"{_appId}/{name}";
        var bytes = Guid.NewGuid().ToByteArray();
        await container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, Ct);
        return (path, bytes);
    }

    [Fact]
    public async Task Unsigned_urls_are_the_cdn_urls_and_never_expire()
    {
        var signer = await Urls(signed: false, cdn: new Uri("https://cdn.example/bundles/")).GetSignerAsync(Ct);

        Assert.Equal("https://cdn.example/bundles/com.demo.app/files/abc.br", signer.GetUrl("com.demo.app/files/abc.br"));
        Assert.Equal(DateTimeOffset.MaxValue, signer.RenewAfter);
    }

    [Fact]
    public async Task Without_a_cdn_unsigned_urls_are_those_of_the_container()
    {
        var signer = await Urls(signed: false).GetSignerAsync(Ct);

        Assert.Equal(
            StorageClients.Blobs(_azurite).GetBlobContainerClient(_azurite.BundlesContainer).GetBlobClient("a/b.zip").Uri.AbsoluteUri,
            signer.GetUrl("a/b.zip"));
    }

    [Fact]
    public async Task A_signed_url_reads_a_blob_the_private_container_refuses_to_anonymous_callers()
    {
        var (path, bytes) = await PrivateBlobAsync();
        var signed = (await Urls(signed: true).GetSignerAsync(Ct)).GetUrl(path);
        var unsigned = new Uri(signed).GetLeftPart(UriPartial.Path);

        using var withSas = await _anonymous.GetAsync(signed, Ct);
        using var withoutSas = await _anonymous.GetAsync(unsigned, Ct);

        Assert.Equal(HttpStatusCode.OK, withSas.StatusCode);
        Assert.Equal(bytes, await withSas.Content.ReadAsByteArrayAsync(Ct));
        Assert.True(withoutSas.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Conflict,
            $"anonymous read answered {withoutSas.StatusCode}");
    }

    [Fact]
    public async Task A_signed_url_reads_its_own_blob_only_and_writes_nothing()
    {
        var (path, _) = await PrivateBlobAsync("files/one");
        var (other, _) = await PrivateBlobAsync("files/two");
        var signed = new Uri((await Urls(signed: true).GetSignerAsync(Ct)).GetUrl(path));

        // The same signature on another blob's path.
        var otherPath = StorageClients.Blobs(_azurite).GetBlobContainerClient(_azurite.BundlesContainer).GetBlobClient(other).Uri.AbsolutePath;
        using var otherBlob = await _anonymous.GetAsync(new UriBuilder(signed) { Path = otherPath }.Uri, Ct);
        using var write = await _anonymous.PutAsync(signed, new ByteArrayContent([1, 2, 3])
        {
            Headers = { { "x-ms-blob-type", "BlockBlob" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, otherBlob.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task An_expired_signed_url_is_refused()
    {
        var (path, _) = await PrivateBlobAsync();
        // Signed an hour ago with a 15-minute lifetime.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var expired = (await Urls(signed: true, clock: past).GetSignerAsync(Ct)).GetUrl(path);

        using var response = await _anonymous.GetAsync(expired, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_blob_keeps_one_url_for_half_the_lifetime_and_gets_a_new_one_after()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var urls = Urls(signed: true, clock: clock);

        var first = await urls.GetSignerAsync(Ct);
        var url = first.GetUrl("com.demo.app/1.zip");
        clock.Advance(Lifetime / 2 - TimeSpan.FromSeconds(1));
        var later = await urls.GetSignerAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = await urls.GetSignerAsync(Ct);

        Assert.Same(first, later);
        Assert.Equal(url, later.GetUrl("com.demo.app/1.zip"));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 7, 30, TimeSpan.Zero), first.RenewAfter);
        Assert.Equal("2025-06-01T12:15:00Z", HttpUtility.ParseQueryString(new Uri(url).Query)["se"]);
        Assert.Equal("r", HttpUtility.ParseQueryString(new Uri(url).Query)["sp"]);
        Assert.NotSame(first, next);
        Assert.Equal("2025-06-01T12:22:30Z", HttpUtility.ParseQueryString(new Uri(next.GetUrl("com.demo.app/1.zip")).Query)["se"]);
    }

    [Fact]
    public async Task Signing_with_the_account_key_makes_no_storage_call()
    {
        var counter = new RequestCounter();
        var urls = Urls(signed: true, counter: counter);

        for (var i = 0; i < 1000; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            (await urls.GetSignerAsync(Ct)).GetUrl($"{_appId}/files/{i}");
        }

        Assert.Equal(0, counter.Requests);
    }

    [Fact]
    public async Task Under_managed_identity_urls_are_signed_with_one_cached_user_delegation_key()
    {
        var fetches = 0;
        var service = new BlobServiceClient(new Uri("https://account.blob.core.windows.net"), new StaticToken());
        var urls = new BlobDownloadUrls(service, StorageClients.Options(_azurite, o =>
            {
                o.BundlesContainer = "bundles";
                o.SignedUrls = new SignedUrlOptions { Enabled = true, Lifetime = Lifetime };
            }), _clock, NullLogger<BlobDownloadUrls>.Instance,
            (startsOn, expiresOn, _) =>
            {
                Interlocked.Increment(ref fetches);
                return Task.FromResult(BlobsModelFactory.UserDelegationKey("oid", "tid", startsOn, expiresOn, "b", "2025-01-05",
                    Convert.ToBase64String(new byte[32])));
            });

        var urlsSigned = new List<string>();
        for (var period = 0; period < 6; period++)
        {
            urlsSigned.Add((await urls.GetSignerAsync(Ct)).GetUrl("com.demo.app/files/abc"));
            _clock.Advance(Lifetime / 2);
        }

        Assert.Equal(1, fetches);
        Assert.Equal(6, urlsSigned.Distinct(StringComparer.Ordinal).Count());
        var query = HttpUtility.ParseQueryString(new Uri(urlsSigned[0]).Query);
        Assert.StartsWith("https://account.blob.core.windows.net/bundles/com.demo.app/files/abc?", urlsSigned[0], StringComparison.Ordinal);
        Assert.Equal(("oid", "tid", "r", "b", "https"), (query["skoid"], query["sktid"], query["sp"], query["sr"], query["spr"]));
        Assert.NotNull(query["sig"]);
    }

    [Fact]
    public async Task Without_a_key_and_with_storage_refusing_one_signing_is_StorageUnavailableException()
    {
        var service = new BlobServiceClient(new Uri("https://account.blob.core.windows.net"), new StaticToken());
        var urls = new BlobDownloadUrls(service, StorageClients.Options(_azurite, o => o.SignedUrls = new SignedUrlOptions { Enabled = true }),
            _clock, NullLogger<BlobDownloadUrls>.Instance,
            (_, _, _) => Task.FromException<UserDelegationKey>(new Azure.RequestFailedException(403, "AuthorizationPermissionMismatch")));

        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await urls.GetSignerAsync(Ct));
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
