namespace UpdateFunctions.Core.Persistence;

/// <summary>
/// Where devices download stored blobs (bundle zips and manifest files) from: CDN or container URLs that never
/// change, or short-lived signed URLs when the bundles container is private and devices read it directly.
/// </summary>
public interface IDownloadUrlSource
{
    /// <summary>
    /// The signer for now. Completes synchronously except when a signing key must be fetched first (the first call,
    /// or after the key expired); throws <see cref="StorageUnavailableException"/> when that fetch fails.
    /// </summary>
    ValueTask<DownloadUrlSigner> GetSignerAsync(CancellationToken cancellationToken);
}

/// <summary>Makes the download URLs of one period.</summary>
public abstract class DownloadUrlSigner
{
    /// <summary>
    /// When this signer's URLs stop being handed out (they stay valid for a while after it, so a device that just
    /// received one can still use it); <see cref="DateTimeOffset.MaxValue"/> when they never expire.
    /// </summary>
    public abstract DateTimeOffset RenewAfter { get; }

    /// <summary>The absolute URL of <paramref name="blobPath"/>, relative to the bundles container.</summary>
    public abstract string GetUrl(string blobPath);
}
