using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// The files of partial updates in the bundles container: <c>{app}/files/{sha256}[.br]</c> (one blob per distinct
/// content and app, written once, immutable) and <c>{app}/manifests/{zip sha256}.json</c>. Files are served as
/// <c>application/octet-stream</c> without <c>Content-Encoding</c>, even when brotli-compressed: the plugin
/// decompresses a <c>.br</c> file itself, and an HTTP client that decoded it first would make that fail.
/// </summary>
public sealed partial class BlobBundleFileStore : IBundleFileStore
{
    internal const string FileContentType = "application/octet-stream";
    internal const string ManifestContentType = "application/json";
    private const int BufferSize = 81920;

    private readonly BlobContainerClient _container;
    private readonly BundlesContainer _bundles;
    private readonly ILogger<BlobBundleFileStore> _logger;

    public BlobBundleFileStore(BlobServiceClient blobs, IOptions<StorageOptions> options, ILogger<BlobBundleFileStore> logger)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        _container = blobs.GetBlobContainerClient(options.Value.BundlesContainer);
        _bundles = new BundlesContainer(_container, options.Value.BundlesPublicRead);
        _logger = logger;
    }

    public async Task<Stream> OpenBundleAsync(string blobPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobPath);
        // A zip is read through its central directory at the end: it is spooled to a temporary file, never to memory.
        var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), "updatefunctions-manifest-" + Guid.NewGuid().ToString("N") + ".zip"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await _container.GetBlobClient(blobPath).DownloadToAsync(spool, cancellationToken);
            spool.Position = 0;
            return spool;
        }
        catch (Exception ex)
        {
            await spool.DisposeAsync();
            if (StorageFailures.IsUnavailable(ex, cancellationToken))
                throw StorageFailures.Unavailable($"reading {blobPath}", ex);
            throw;
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> ListFilesAsync(string appId, CancellationToken cancellationToken)
    {
        var prefix = BundleLayout.FilesPrefix(StorageKeys.Check(appId, nameof(appId)));
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
                files[item.Name[prefix.Length..]] = item.Properties.ContentLength ?? 0;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet: no file either.
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"listing {prefix}", ex);
        }
        return files;
    }

    public Task PutFileAsync(string appId, string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutOnceAsync(BundleLayout.FileBlobPath(StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(blobName, nameof(blobName))),
            content, FileContentType, cancellationToken);

    public async Task<byte[]?> GetManifestAsync(string blobPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobPath);
        try
        {
            var download = await _container.GetBlobClient(blobPath).DownloadContentAsync(cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading {blobPath}", ex);
        }
    }

    public Task PutManifestAsync(string blobPath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutOnceAsync(blobPath, content, ManifestContentType, cancellationToken);

    private async Task PutOnceAsync(string blobPath, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await _bundles.EnsureExistsAsync(cancellationToken);
            await _container.GetBlobClient(blobPath).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType, CacheControl = BlobBundleStore.ImmutableCacheControl },
                // Same name, same bytes: whoever wrote first wins, and nothing is ever overwritten.
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            LogStored(blobPath, content.Length);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Stored already, by an earlier version or a concurrent commit.
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"storing {blobPath}", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {BlobPath} ({Size} bytes)")]
    private partial void LogStored(string blobPath, int size);
}
