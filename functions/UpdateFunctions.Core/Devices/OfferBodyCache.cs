using System.Runtime.CompilerServices;
using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Devices;

/// <summary>
/// The JSON of update offers, built once and reused: an offer's body depends only on the bundle, whether its manifest
/// is included, and the download URLs, so a warm update check serialises nothing and signs nothing. Bodies are held
/// per <see cref="BundleDefinition"/> instance (one per snapshot: a refreshed snapshot builds its own, the old ones go
/// with it) until their URLs' signer must be renewed; the manifest entries, the expensive part, are held per loaded
/// <see cref="BundleManifest"/>, which outlives snapshot refreshes.
/// </summary>
public sealed class OfferBodyCache(IDownloadUrlSource urls, TimeProvider clock)
{
    private readonly ConditionalWeakTable<BundleDefinition, Slots> _bodies = new();
    private readonly ConditionalWeakTable<BundleManifest, ManifestEntries> _manifests = new();

    /// <summary>The UTF-8 JSON answer to a device offered <paramref name="offer"/> by app <paramref name="appId"/>.</summary>
    public ValueTask<byte[]> GetAsync(string appId, UpdateOffer offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (_bodies.TryGetValue(offer.Bundle, out var slots)
            && (offer.Manifest is null ? slots.Zip : slots.Partial) is { } body
            && ReferenceEquals(body.Manifest, offer.Manifest)
            && IsCurrent(body.RenewAfter))
        {
            return ValueTask.FromResult(body.Json);
        }

        return BuildAsync(appId, offer, cancellationToken);
    }

    private bool IsCurrent(DateTimeOffset renewAfter) =>
        renewAfter == DateTimeOffset.MaxValue || clock.GetUtcNow() < renewAfter;

    private async ValueTask<byte[]> BuildAsync(string appId, UpdateOffer offer, CancellationToken cancellationToken)
    {
        var bundle = offer.Bundle;
        string url;
        var renewAfter = DateTimeOffset.MaxValue;
        IReadOnlyList<ManifestEntryBody>? entries = null;
        if (bundle.ExternalUrl is { } external)
        {
            url = external;
        }
        else
        {
            var signer = await urls.GetSignerAsync(cancellationToken);
            url = signer.GetUrl(bundle.BlobPath
                ?? throw new InvalidOperationException($"Bundle {bundle.Version} has neither a blob path nor an external URL."));
            renewAfter = signer.RenewAfter;
            if (offer.Manifest is { } manifest)
                entries = Entries(appId, manifest, signer);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(
            new UpdateAvailableBody(bundle.Version, url, bundle.Checksum, bundle.SessionKey, bundle.Link, bundle.Comment, entries),
            DeviceJsonContext.Default.UpdateAvailableBody);
        var body = new Body(json, renewAfter, entries is null ? null : offer.Manifest);
        var slots = _bodies.GetValue(bundle, static _ => new Slots());
        if (body.Manifest is null)
            slots.Zip = body;
        else
            slots.Partial = body;
        return json;
    }

    /// <summary>The manifest's entries with this signer's URLs; computed once per manifest and signer.</summary>
    private ManifestEntryBody[] Entries(string appId, BundleManifest manifest, DownloadUrlSigner signer)
    {
        if (_manifests.TryGetValue(manifest, out var cached) && ReferenceEquals(cached.Signer, signer))
            return cached.Entries;

        var entries = new ManifestEntryBody[manifest.Files.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var file = manifest.Files[i];
            entries[i] = new ManifestEntryBody(file.FileName, file.Sha256, signer.GetUrl(BundleLayout.FileBlobPath(appId, file.BlobName)));
        }
        _manifests.AddOrUpdate(manifest, new ManifestEntries(signer, entries));
        return entries;
    }

    private sealed record Body(byte[] Json, DateTimeOffset RenewAfter, BundleManifest? Manifest);

    private sealed record ManifestEntries(DownloadUrlSigner Signer, ManifestEntryBody[] Entries);

    /// <summary>The two bodies of one bundle: zip only, and zip with manifest. Races only rebuild the same body.</summary>
    private sealed class Slots
    {
        public volatile Body? Zip;
        public volatile Body? Partial;
    }
}
