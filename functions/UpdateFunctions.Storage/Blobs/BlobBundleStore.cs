using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// Content-addressed bundle zips in Blob Storage: <c>{appId}/{sha256}.zip</c>, written once, served with an immutable
/// <c>Cache-Control</c> through the CDN (<see cref="StorageOptions.BundleBaseUrl"/>) or straight from the container.
/// </summary>
public sealed partial class BlobBundleStore : IBundleBlobStore
{
    internal const string ZipContentType = "application/zip";
    internal const string ImmutableCacheControl = "public, max-age=31536000, immutable";
    private const int CopyBufferSize = 81920;

    private readonly BlobContainerClient _container;
    private readonly Uri? _baseUrl;
    private readonly BundlesContainer _bundles;
    private readonly ILogger<BlobBundleStore> _logger;

    public BlobBundleStore(BlobServiceClient blobs, IOptions<StorageOptions> options, ILogger<BlobBundleStore> logger)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        var containerName = options.Value.BundlesContainer;
        if (!StorageOptionsValidator.IsValidContainerName(containerName))
            throw new ArgumentException($"Invalid bundles container name '{containerName}'.", nameof(options));

        _container = blobs.GetBlobContainerClient(containerName);
        _baseUrl = options.Value.BundleBaseUrl;
        _bundles = new BundlesContainer(_container, options.Value.BundlesPublicRead);
        _logger = logger;
    }

    public async Task<StoredBundleBlob> PutBundleAsync(string appId, Stream zip, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        ArgumentNullException.ThrowIfNull(zip);

        // The name is the hash, so the bytes are read once to hash them before the upload. A seekable stream is
        // read again from where it started; anything else is spooled to a temporary file, never to memory.
        Stream? spool = null;
        try
        {
            Stream source;
            (string Sha256, long Size) hash;
            if (zip.CanSeek)
            {
                var start = zip.Position;
                hash = await HashAsync(zip, copyTo: null, cancellationToken);
                zip.Position = start;
                source = zip;
            }
            else
            {
                spool = CreateSpoolFile();
                hash = await HashAsync(zip, spool, cancellationToken);
                spool.Position = 0;
                source = spool;
            }

            var stored = new StoredBundleBlob($"{appId}/{hash.Sha256}.zip", hash.Sha256, hash.Size);
            await UploadOnceAsync(stored, source, cancellationToken);
            return stored;
        }
        finally
        {
            if (spool is not null)
                await spool.DisposeAsync();
        }
    }

    public Uri GetDownloadUri(string blobPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobPath);
        if (blobPath.StartsWith('/'))
            throw new ArgumentException($"A blob path is relative to the bundles container: '{blobPath}'.", nameof(blobPath));

        return _baseUrl is null
            ? _container.GetBlobClient(blobPath).Uri
            : new Uri(_baseUrl.AbsoluteUri.TrimEnd('/') + "/" + blobPath, UriKind.Absolute);
    }

    private async Task UploadOnceAsync(StoredBundleBlob stored, Stream source, CancellationToken cancellationToken)
    {
        var what = $"uploading {_container.Name}/{stored.BlobPath}";
        try
        {
            await _bundles.EnsureExistsAsync(cancellationToken);
            var blob = _container.GetBlobClient(stored.BlobPath);

            // Same name means same bytes: a blob that is already there is the one we would write.
            if (await blob.ExistsAsync(cancellationToken))
            {
                LogAlreadyStored(stored.BlobPath);
                return;
            }

            await blob.UploadAsync(source, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = ZipContentType, CacheControl = ImmutableCacheControl },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            LogStored(stored.BlobPath, stored.Size);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another writer stored the same content between our check and our upload.
            LogAlreadyStored(stored.BlobPath);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    private static async Task<(string Sha256, long Size)> HashAsync(Stream input, Stream? copyTo, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long size = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            if (copyTo is not null)
                await copyTo.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            size += read;
        }

        if (copyTo is not null)
            await copyTo.FlushAsync(cancellationToken);
        return (Convert.ToHexStringLower(sha256.GetHashAndReset()), size);
    }

    private static FileStream CreateSpoolFile() => new(
        Path.Combine(Path.GetTempPath(), "updatefunctions-bundle-" + Guid.NewGuid().ToString("N") + ".zip"),
        FileMode.CreateNew,
        FileAccess.ReadWrite,
        FileShare.None,
        CopyBufferSize,
        FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored bundle blob {BlobPath} ({Size} bytes)")]
    private partial void LogStored(string blobPath, long size);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bundle blob {BlobPath} already stored; nothing to upload")]
    private partial void LogAlreadyStored(string blobPath);
}
