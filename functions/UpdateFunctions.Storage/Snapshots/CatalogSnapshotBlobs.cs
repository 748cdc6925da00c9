using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>
/// A compacted snapshot's device rows: they include every change positioned up to <paramref name="Position"/>, and every
/// import logged up to <paramref name="TakenAt"/> (when their read started; an import is logged once all its rows are written).
/// </summary>
public sealed record DeviceSnapshot(long Position, long TakenAt, DeviceDictionary Devices, long Bytes);

/// <summary>
/// The compacted device rows of each app, one blob per app (<c>{container}/{appId}.devices</c>, see
/// <see cref="StorageOptions.SnapshotsContainer"/>), written by <see cref="CatalogCompactor"/> and read by a cold instance.
/// </summary>
public sealed class CatalogSnapshotBlobs(BlobServiceClient blobs, IOptions<StorageOptions> options)
{
    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(options.Value.SnapshotsContainer);
    private volatile bool _containerExists;

    /// <summary>Writes the blob; returns its size in bytes.</summary>
    public async Task<long> WriteAsync(string appId, long position, long takenAt, IReadOnlyCollection<DeviceRecord> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var content = DeviceSnapshotCodec.Encode(position, takenAt, devices);
        try
        {
            if (!_containerExists)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _containerExists = true;
            }
            await Blob(appId).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
            return content.Length;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"writing the snapshot of {appId}", ex);
        }
    }

    /// <summary>The app's compacted device rows; null when there is no blob. A blob that does not decode throws <see cref="InvalidDataException"/>.</summary>
    public async Task<DeviceSnapshot?> ReadAsync(string appId, CancellationToken cancellationToken)
    {
        BinaryData content;
        try
        {
            content = (await Blob(appId).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading the snapshot of {appId}", ex);
        }

        using var stream = content.ToStream();
        var (position, takenAt, devices) = DeviceSnapshotCodec.Decode(stream);
        return new DeviceSnapshot(position, takenAt, devices, content.ToMemory().Length);
    }

    internal BlobClient Blob(string appId) => _container.GetBlobClient(StorageKeys.Check(appId, nameof(appId)) + ".devices");
}
