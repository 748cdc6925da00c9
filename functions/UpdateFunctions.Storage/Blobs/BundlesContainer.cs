using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace UpdateFunctions.Storage.Blobs;

/// <summary>
/// The bundles container as each blob adapter writes to it: created on the first write if missing, once per adapter.
/// Anonymous read only with <see cref="StorageOptions.BundlesPublicRead"/> (local development: devices download from
/// Azurite directly); in Azure the bundles reach devices through the CDN or signed URLs.
/// </summary>
internal sealed class BundlesContainer(BlobContainerClient client, bool publicRead)
{
    private volatile bool _exists;

    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (_exists)
            return;
        if (publicRead)
        {
            await client.CreateIfNotExistsAsync(PublicAccessType.Blob, cancellationToken: cancellationToken);
            await client.SetAccessPolicyAsync(PublicAccessType.Blob, cancellationToken: cancellationToken);
        }
        else
        {
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        _exists = true;
    }
}
