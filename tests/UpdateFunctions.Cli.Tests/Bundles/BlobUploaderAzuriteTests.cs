using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using UpdateFunctions.Cli.Bundles;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Cli.Tests.Bundles;

/// <summary>
/// The CLI's plain-HTTP blob upload (Put Blob; Put Block + Put Block List) against real Blob storage (Azurite),
/// through a write-only SAS URL like the one the server hands out.
/// </summary>
public sealed class BlobUploaderAzuriteTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly HttpClient Http = new();

    private async Task<(BlobClient Blob, Uri Sas)> StagingBlobAsync()
    {
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(azurite.BundlesContainer);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient($"staging/{Guid.NewGuid():N}.zip");
        var sas = blob.GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, DateTimeOffset.UtcNow.AddMinutes(15));
        return (blob, sas);
    }

    [Theory]
    [InlineData(1024)]                                        // one Put Blob
    [InlineData(BlobUploader.SinglePutLimit)]                 // still one Put Blob
    [InlineData(BlobUploader.SinglePutLimit + 1)]             // blocks
    [InlineData(3 * BlobUploader.BlockSize)]                  // blocks, the last one full
    public async Task The_uploaded_blob_has_exactly_the_bytes_sent_and_the_zip_content_type(long length)
    {
        var (blob, sas) = await StagingBlobAsync();
        var bytes = RandomNumberGenerator.GetBytes((int)length);
        var reported = new List<long>();

        await new BlobUploader(Http).UploadAsync(sas, new MemoryStream(bytes), bytes.Length, new Recorder(reported), CancellationToken.None);

        var downloaded = (await blob.DownloadContentAsync()).Value;
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(downloaded.Content.ToArray()));
        Assert.Equal("application/zip", downloaded.Details.ContentType);
        Assert.Equal(bytes.Length, reported[^1]);
        Assert.Equal(reported.Order(), reported);
    }

    [Fact]
    public async Task A_SAS_without_write_permission_is_refused_with_exit_code_3()
    {
        var (blob, _) = await StagingBlobAsync();
        var readOnly = blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(15));

        var error = await Assert.ThrowsAsync<CliException>(() =>
            new BlobUploader(Http).UploadAsync(readOnly, new MemoryStream([1, 2, 3]), 3, new Recorder([]), CancellationToken.None));

        Assert.Equal(ExitCodes.Auth, error.ExitCode);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recorder(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
