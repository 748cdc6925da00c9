using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

public sealed class BlobBundleStoreTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private readonly string _appId = "com.test.b" + Guid.NewGuid().ToString("N")[..12];
    private readonly Outage _outage = new();

    [Fact]
    public async Task Storing_the_same_bytes_twice_keeps_one_content_addressed_blob()
    {
        var store = CreateStore();
        var zip = TestZips.Create("same bytes");
        var sha = TestZips.Sha256(zip);

        using var seekable = new MemoryStream(zip);
        var first = await store.PutBundleAsync(_appId, seekable, Ct);
        using var forwardOnly = new TestZips.ForwardOnlyStream(zip);
        var second = await store.PutBundleAsync(_appId, forwardOnly, Ct);

        Assert.Equal(new StoredBundleBlob($"{_appId}/{sha}.zip", sha, zip.Length), first);
        Assert.Equal(first, second);
        var blobs = await ListAsync(_appId + "/");
        var blob = Assert.Single(blobs);
        Assert.Equal($"{_appId}/{sha}.zip", blob.Name);
        Assert.Equal("application/zip", blob.Properties.ContentType);
        Assert.Equal("public, max-age=31536000, immutable", blob.Properties.CacheControl);
        Assert.Equal(zip.Length, blob.Properties.ContentLength);
    }

    [Fact]
    public async Task A_blob_that_exists_is_not_written_again()
    {
        var store = CreateStore();
        var zip = TestZips.Create("written once");
        using (var stream = new MemoryStream(zip))
            await store.PutBundleAsync(_appId, stream, Ct);
        var before = Assert.Single(await ListAsync(_appId + "/")).Properties.ETag;

        using (var again = new TestZips.ForwardOnlyStream(zip))
            await store.PutBundleAsync(_appId, again, Ct);

        Assert.Equal(before, Assert.Single(await ListAsync(_appId + "/")).Properties.ETag);
    }

    [Fact]
    public async Task Different_bytes_are_different_blobs()
    {
        var store = CreateStore();

        using var one = new MemoryStream(TestZips.Create("one"));
        using var two = new MemoryStream(TestZips.Create("two"));
        var first = await store.PutBundleAsync(_appId, one, Ct);
        var second = await store.PutBundleAsync(_appId, two, Ct);

        Assert.NotEqual(first.BlobPath, second.BlobPath);
        Assert.Equal(2, (await ListAsync(_appId + "/")).Count);
    }

    [Fact]
    public async Task Large_forward_only_stream_is_stored_whole()
    {
        var store = CreateStore();
        var bytes = new byte[6 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(bytes);

        using var stream = new TestZips.ForwardOnlyStream(bytes);
        var stored = await store.PutBundleAsync(_appId, stream, Ct);

        Assert.Equal(TestZips.Sha256(bytes), stored.Sha256);
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(TestZips.Sha256(bytes), await DownloadSha256Async(store.GetDownloadUri(stored.BlobPath)));
    }

    [Fact]
    public async Task Download_uri_serves_bytes_whose_sha256_is_the_checksum()
    {
        var store = CreateStore();
        using var zip = new MemoryStream(TestZips.Create("download me"));
        var stored = await store.PutBundleAsync(_appId, zip, Ct);

        var uri = store.GetDownloadUri(stored.BlobPath);

        Assert.Equal(
            $"{azurite.CreateBlobServiceClient().GetBlobContainerClient(azurite.BundlesContainer).Uri.AbsoluteUri}/{stored.BlobPath}",
            uri.AbsoluteUri);
        Assert.Equal(stored.Sha256, await DownloadSha256Async(uri));
    }

    [Theory]
    [InlineData("https://cdn.example/bundles")]
    [InlineData("https://cdn.example/bundles/")]
    public void Download_uri_uses_the_CDN_base_url_when_configured(string baseUrl)
    {
        var store = CreateStore(new Uri(baseUrl));

        var uri = store.GetDownloadUri("com.demo.app/" + new string('a', 64) + ".zip");

        Assert.Equal("https://cdn.example/bundles/com.demo.app/" + new string('a', 64) + ".zip", uri.AbsoluteUri);
    }

    [Fact]
    public async Task Unreachable_blob_service_is_StorageUnavailableException()
    {
        var store = CreateStore();
        _outage.Unreachable = true;

        using var zip = new MemoryStream(TestZips.Create("nowhere"));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.PutBundleAsync(_appId, zip, Ct));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("a?b")]
    public async Task App_ids_that_would_change_the_blob_path_are_rejected(string appId)
    {
        using var zip = new MemoryStream(TestZips.Create("x"));
        await Assert.ThrowsAsync<ArgumentException>(() => CreateStore().PutBundleAsync(appId, zip, Ct));
    }

    private BlobBundleStore CreateStore(Uri? baseUrl = null) => new(
        StorageClients.Blobs(azurite, _outage),
        StorageClients.Options(azurite, o => o.BundleBaseUrl = baseUrl),
        NullLogger<BlobBundleStore>.Instance);

    private async Task<List<BlobItem>> ListAsync(string prefix)
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(azurite.BundlesContainer);
        var items = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Ct))
            items.Add(item);
        return items;
    }

    /// <summary>
    /// Downloads the URI over plain HTTP. The container is private (no public access is set), so a read SAS for
    /// the same blob is appended; the path is the one <see cref="BlobBundleStore.GetDownloadUri"/> returned.
    /// </summary>
    private async Task<string> DownloadSha256Async(Uri uri)
    {
        var parts = new BlobUriBuilder(uri);
        var blob = azurite.CreateBlobServiceClient().GetBlobContainerClient(parts.BlobContainerName).GetBlobClient(parts.BlobName);
        var sas = blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(uri.GetLeftPart(UriPartial.Path), sas.GetLeftPart(UriPartial.Path));

        using var http = new HttpClient();
        using var response = await http.GetAsync(sas, Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(body, Ct));
    }
}
