using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

/// <summary>Uploads in progress on Azurite: a private staging container of their own, and the cleanup of expired ones.</summary>
public sealed class UploadCleanupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Staged_uploads_live_in_a_private_container_that_is_not_the_bundles_container()
    {
        var staging = Staging();
        var path = $"staging/com.example.clean/{Guid.NewGuid():N}/a.zip";

        var uri = await staging.CreateUploadUriAsync(path, _clock.GetUtcNow().AddMinutes(15), CancellationToken.None);
        await new BlobClient(uri).UploadAsync(BinaryData.FromString("zip bytes"));

        var container = Blobs().GetBlobContainerClient(azurite.BundlesContainer + "-staging");
        Assert.Equal(container.Name, new BlobUriBuilder(uri).BlobContainerName);
        Assert.Equal(PublicAccessType.None, (await container.GetPropertiesAsync()).Value.PublicAccess ?? PublicAccessType.None);
        Assert.False(await Blobs().GetBlobContainerClient(azurite.BundlesContainer).GetBlobClient(path).ExistsAsync());
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(new BlobUriBuilder(uri) { Sas = null }.ToUri());
        Assert.False(response.IsSuccessStatusCode, $"an anonymous read of a staged upload answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Expired_uploads_lose_their_blob_and_row_once_and_live_ones_stay()
    {
        var uploads = new TablePendingUploadStore(StorageClients.Tables(azurite), StorageClients.Options(azurite));
        var staging = Staging();
        var app = "com.example.clean" + Guid.NewGuid().ToString("N")[..6];
        var expired = await AnnounceAsync(uploads, staging, app, "1.0.0", expiresIn: TimeSpan.FromMinutes(5));
        var alsoExpired = await AnnounceAsync(uploads, staging, app, "1.0.1", expiresIn: TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(10));
        var live = await AnnounceAsync(uploads, staging, app, "1.0.2", expiresIn: TimeSpan.FromMinutes(15));
        // 1.0.1 is announced again after its window: a new path and a new window, so it stays.
        var again = await AnnounceAsync(uploads, staging, app, "1.0.1", expiresIn: TimeSpan.FromMinutes(15));
        var cleanup = new UploadCleanupService(uploads, staging, _clock);

        var first = await cleanup.RunAsync(CancellationToken.None);
        var second = await cleanup.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1, false), (first.Expired, first.Removed, first.More));
        Assert.Equal((0, 0), (second.Expired, second.Removed));
        Assert.Null(await uploads.GetAsync(app, "1.0.0", CancellationToken.None));
        Assert.False(await StagedAsync(expired.StagingPath));
        Assert.Equal(again.StagingPath, (await uploads.GetAsync(app, "1.0.1", CancellationToken.None))!.StagingPath);
        Assert.True(await StagedAsync(again.StagingPath));
        Assert.True(await StagedAsync(alsoExpired.StagingPath), "the replaced upload's blob is the announce's to delete, not the cleanup's");
        Assert.NotNull(await uploads.GetAsync(app, "1.0.2", CancellationToken.None));
        Assert.True(await StagedAsync(live.StagingPath));
    }

    private async Task<PendingUpload> AnnounceAsync(TablePendingUploadStore uploads, BlobBundleStaging staging, string app, string version, TimeSpan expiresIn)
    {
        var now = _clock.GetUtcNow();
        var upload = new PendingUpload(app, version, new string('a', 64), 9, $"staging/{app}/{version}/{Guid.NewGuid():N}.zip", now + expiresIn, now);
        await uploads.PutAsync(upload, CancellationToken.None);
        var uri = await staging.CreateUploadUriAsync(upload.StagingPath, upload.ExpiresAt.AddDays(1), CancellationToken.None);
        await new BlobClient(uri).UploadAsync(BinaryData.FromString("zip bytes"));
        return upload;
    }

    private async Task<bool> StagedAsync(string path) =>
        await Blobs().GetBlobContainerClient(azurite.BundlesContainer + "-staging").GetBlobClient(path).ExistsAsync();

    private BlobBundleStaging Staging() =>
        new(Blobs(), StorageClients.Options(azurite), _clock, NullLogger<BlobBundleStaging>.Instance);

    private BlobServiceClient Blobs() => StorageClients.Blobs(azurite);
}
