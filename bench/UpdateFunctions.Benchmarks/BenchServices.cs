using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Blobs;

namespace UpdateFunctions.Benchmarks;

/// <summary>What the update-check benchmarks share: CDN download URLs and a rate limiter that never refuses.</summary>
internal static class BenchServices
{
    public static BlobDownloadUrls CdnUrls() =>
        new(new BlobServiceClient("UseDevelopmentStorage=true"),
            Options.Create(new StorageOptions { BundleBaseUrl = new Uri("https://cdn.example/bundles") }), TimeProvider.System,
            NullLogger<BlobDownloadUrls>.Instance);

    /// <summary>Limits that count every call but never refuse one: the limiter's cost is in the figure, not its 429s.</summary>
    public static DeviceRateLimiter CountingLimiter() =>
        new(new DeviceRateLimits(int.MaxValue, int.MaxValue), TimeProvider.System);
}
