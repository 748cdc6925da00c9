using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Blobs;

/// <summary>The files and manifests of partial updates, on Azurite, built by the real builder.</summary>
public sealed class BlobBundleFileStoreTests : TestTimeout, IClassFixture<AzuriteFixture>
{
    private readonly string _appId = "com.test.f" + Guid.NewGuid().ToString("N")[..12];
    private readonly BlobContainerClient _container;
    private readonly BlobBundleFileStore _store;
    private readonly BundleManifestBuilder _builder;

    public BlobBundleFileStoreTests(AzuriteFixture azurite)
    {
        _container = StorageClients.Blobs(azurite).GetBlobContainerClient(azurite.BundlesContainer);
        _store = new BlobBundleFileStore(StorageClients.Blobs(azurite), StorageClients.Options(azurite), NullLogger<BlobBundleFileStore>.Instance);
        _builder = new BundleManifestBuilder(_store);
    }

    private static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), Encoding.UTF8);
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }

    private static string Script(string marker) =>
        string.Concat(Enumerable.Range(0, 300).Select(i => $"export const {marker}{i} = () => {i} * 2;\n"));

    private async Task<ManifestBuilt> BuildAsync(byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        return Assert.IsType<ManifestBuilt>(await _builder.BuildAsync(_appId, TestZips.Sha256(zip), stream, Ct));
    }

    private async Task<List<BlobItem>> FilesAsync()
    {
        var items = new List<BlobItem>();
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{_appId}/files/" }, Ct))
            items.Add(item);
        return items;
    }

    [Fact]
    public async Task Files_shared_by_two_versions_are_stored_once_in_the_container()
    {
        var vendor = Script("vendor");
        var v1 = Zip(("index.html", "<p>1</p>"), ("js/vendor.js", vendor), ("js/app.js", Script("one")));
        var v2 = Zip(("index.html", "<p>2</p>"), ("js/vendor.js", vendor), ("js/app.js", Script("two")));

        var first = await BuildAsync(v1);
        var second = await BuildAsync(v2);

        // 3 files each, vendor.js in common: 5 distinct contents, 5 blobs.
        var files = await FilesAsync();
        Assert.Equal(5, files.Count);
        Assert.Equal(first.Manifest.Files[1].BlobName, second.Manifest.Files[1].BlobName);
        Assert.Equal(
            first.Manifest.Files.Concat(second.Manifest.Files).Select(f => $"{_appId}/files/{f.BlobName}").Distinct().Order(StringComparer.Ordinal),
            files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.NotNull(await _store.GetManifestAsync(first.Info.BlobPath, Ct));
        Assert.NotNull(await _store.GetManifestAsync(second.Info.BlobPath, Ct));
    }

    [Fact]
    public async Task Files_are_stored_immutable_and_without_content_encoding_so_br_files_reach_the_plugin_compressed()
    {
        var built = await BuildAsync(Zip(("js/app.js", Script("app"))));
        var file = Assert.Single(built.Manifest.Files);

        var properties = (await _container.GetBlobClient($"{_appId}/files/{file.BlobName}").GetPropertiesAsync(cancellationToken: Ct)).Value;

        Assert.True(file.Brotli);
        Assert.Null(properties.ContentEncoding);
        Assert.Equal("application/octet-stream", properties.ContentType);
        Assert.Equal("public, max-age=31536000, immutable", properties.CacheControl);
        Assert.Equal(file.StoredSize, properties.ContentLength);
    }

    [Fact]
    public async Task A_stored_file_is_never_overwritten()
    {
        await _store.PutFileAsync(_appId, "abc", new byte[] { 1, 2, 3 }, Ct);
        await _store.PutFileAsync(_appId, "abc", new byte[] { 9 }, Ct);

        var content = (await _container.GetBlobClient($"{_appId}/files/abc").DownloadContentAsync(Ct)).Value.Content.ToArray();

        Assert.Equal(new byte[] { 1, 2, 3 }, content);
        Assert.Equal(new Dictionary<string, long> { ["abc"] = 3 }, await _store.ListFilesAsync(_appId, Ct));
    }

    [Fact]
    public async Task A_stored_zip_opens_as_a_seekable_copy()
    {
        var zip = Zip(("index.html", "<p>x</p>"));
        await _container.CreateIfNotExistsAsync(cancellationToken: Ct);
        await _container.GetBlobClient($"{_appId}/z.zip").UploadAsync(BinaryData.FromBytes(zip), Ct);

        await using var opened = await _store.OpenBundleAsync($"{_appId}/z.zip", Ct);

        Assert.True(opened.CanSeek);
        Assert.Equal(TestZips.Sha256(zip), Convert.ToHexStringLower(await SHA256.HashDataAsync(opened, Ct)));
    }

    [Fact]
    public async Task What_was_never_stored_reads_as_nothing()
    {
        Assert.Null(await _store.GetManifestAsync($"{_appId}/manifests/{new string('0', 64)}.json", Ct));
        Assert.Empty(await _store.ListFilesAsync(_appId, Ct));
    }
}
