using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// The staging area of direct-to-blob uploads: <c>staging/{app}/{version}/{random}.zip</c> in a private container of
/// its own (<see cref="StorageOptions.StagingContainerName"/>), never anonymous-readable and never behind the CDN, so an
/// unfinished upload cannot be fetched from the bundles container or its public URL; a commit copies the hashed bytes
/// into the bundles container. Clients write there with a short-lived SAS that allows create and write only: an
/// account-key SAS with a connection string (Azurite, development), a user-delegation SAS with managed identity (Azure,
/// where shared keys are off). Uploads announced before the staging container existed sit under <c>staging/</c> in the
/// bundles container; deleting a staged upload deletes it there too.
/// </summary>
public sealed partial class BlobBundleStaging : IBundleStaging
{
    private const int BufferSize = 81920;
    private readonly BlobServiceClient _service;
    private const string LegacyPrefix = "staging/";
    private readonly BlobContainerClient _container;
    private readonly BundlesContainer _staging;
    private readonly BlobContainerClient _bundlesClient;
    private readonly BundlesContainer _bundles;
    private readonly TimeProvider _clock;
    private readonly ILogger<BlobBundleStaging> _logger;

    public BlobBundleStaging(BlobServiceClient blobs, IOptions<StorageOptions> options, TimeProvider clock, ILogger<BlobBundleStaging> logger)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        _service = blobs;
        _container = blobs.GetBlobContainerClient(options.Value.StagingContainerName);
        // Private whatever the bundles container is: uploads in progress are nobody's to read.
        _staging = new BundlesContainer(_container, publicRead: false);
        _bundlesClient = blobs.GetBlobContainerClient(options.Value.BundlesContainer);
        _bundles = new BundlesContainer(_bundlesClient, options.Value.BundlesPublicRead);
        _clock = clock;
        _logger = logger;
    }

    public async Task<Uri> CreateUploadUriAsync(string stagingPath, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            await _staging.EnsureExistsAsync(cancellationToken);
            var blob = _container.GetBlobClient(stagingPath);
            if (blob.CanGenerateSasUri)
                return blob.GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt);

            // Managed identity: a user delegation key signs the SAS (valid no longer than the SAS itself).
            var startsOn = _clock.GetUtcNow().AddMinutes(-5);
            var key = await _service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expiresAt) { StartsOn = startsOn }, cancellationToken);
            var sas = new BlobSasBuilder
            {
                BlobContainerName = _container.Name,
                BlobName = stagingPath,
                Resource = "b",
                StartsOn = startsOn,
                ExpiresOn = expiresAt,
                Protocol = SasProtocol.Https,
            };
            sas.SetPermissions(BlobSasPermissions.Create | BlobSasPermissions.Write);
            return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, _service.AccountName) }.ToUri();
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"signing an upload URL for {stagingPath}", ex);
        }
    }

    public async Task<StagedBlob?> HashAsync(string stagingPath, CancellationToken cancellationToken)
    {
        try
        {
            var blob = _container.GetBlobClient(stagingPath);
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            long size = 0;
            int read;
            await using var content = download.Content;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                size += read;
            }
            return new StagedBlob(stagingPath, Convert.ToHexStringLower(sha256.GetHashAndReset()), size, download.Details.ETag.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading staged upload {stagingPath}", ex);
        }
    }

    public async Task<StoredBundleBlob> PromoteAsync(string appId, StagedBlob staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var stored = new StoredBundleBlob($"{StorageKeys.Check(appId, nameof(appId))}/{staged.Sha256}.zip", staged.Sha256, staged.Size);
        var target = _bundlesClient.GetBlobClient(stored.BlobPath);
        try
        {
            await _bundles.EnsureExistsAsync(cancellationToken);
            // Same name means same bytes: a blob already there is the one we would write.
            if (await target.ExistsAsync(cancellationToken))
                return stored;

            // Read exactly the version that was hashed: a client writing again meanwhile makes this fail, not slip through.
            BlobDownloadStreamingResult download;
            try
            {
                download = (await _container.GetBlobClient(staged.Path).DownloadStreamingAsync(new BlobDownloadOptions
                {
                    Conditions = new BlobRequestConditions { IfMatch = new ETag(staged.Version) },
                }, cancellationToken)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new ConcurrencyConflictException($"The staged upload {staged.Path} changed while it was committed.", ex);
            }

            using (download)
            {
                await using var content = download.Content;
                await target.UploadAsync(content, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = BlobBundleStore.ZipContentType, CacheControl = BlobBundleStore.ImmutableCacheControl },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken);
            }
            LogPromoted(staged.Path, stored.BlobPath, stored.Size);
            return stored;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another commit stored the same content between our check and our upload.
            return stored;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"storing {stored.BlobPath}", ex);
        }
    }

    public async Task DeleteAsync(string stagingPath, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(stagingPath).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            if (stagingPath.StartsWith(LegacyPrefix, StringComparison.Ordinal))
                await _bundlesClient.GetBlobClient(stagingPath).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"deleting staged upload {stagingPath}", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Promoted staged upload {StagingPath} to {BlobPath} ({Size} bytes)")]
    private partial void LogPromoted(string stagingPath, string blobPath, long size);
}
