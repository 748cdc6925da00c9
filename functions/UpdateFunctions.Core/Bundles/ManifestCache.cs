using System.Collections.Concurrent;
using System.Collections.Frozen;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Bundles;

/// <summary>What <see cref="ManifestCache.AttachAsync"/> produced: the snapshot, and the manifests it could not read.</summary>
public sealed record ManifestAttachment(AppSnapshot Snapshot, IReadOnlyList<string> Unreadable);

/// <summary>
/// Keeps in memory the manifests update checks may offer (<see cref="AppSnapshot.ManifestsToLoad"/>) and attaches them
/// to each new snapshot. Manifests are immutable blobs, so each is read once and then reused by every refresh for as
/// long as a snapshot needs it; a refresh reads only the manifests of newly served bundles. A manifest that cannot
/// be read is left out (its bundle is offered as a zip) and read again at the next refresh.
/// </summary>
public sealed class ManifestCache(IBundleFileStore files)
{
    /// <summary>Per app: manifest blob path → manifest, holding exactly what the app's last snapshot needed.</summary>
    private readonly ConcurrentDictionary<string, FrozenDictionary<string, BundleManifest>> _byApp = new(StringComparer.Ordinal);

    /// <summary>How many manifests were read from storage (for tests and diagnostics).</summary>
    public int Reads => Volatile.Read(ref _reads);
    private int _reads;

    public async Task<ManifestAttachment> AttachAsync(AppSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var appId = snapshot.App.Id;
        var wanted = snapshot.ManifestsToLoad();
        if (wanted.Count == 0)
        {
            _byApp.TryRemove(appId, out _);
            return new ManifestAttachment(snapshot, []);
        }

        var previous = _byApp.TryGetValue(appId, out var known) ? known : FrozenDictionary<string, BundleManifest>.Empty;
        var paths = wanted.Select(b => b.Manifest!.BlobPath).Distinct(StringComparer.Ordinal).ToList();
        var reads = await Task.WhenAll(paths.Where(p => !previous.ContainsKey(p)).Select(p => ReadAsync(p, cancellationToken)));

        var byPath = new Dictionary<string, BundleManifest>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (previous.TryGetValue(path, out var manifest))
                byPath[path] = manifest;
        }
        var unreadable = new List<string>();
        foreach (var (path, manifest) in reads)
        {
            if (manifest is null)
                unreadable.Add(path);
            else
                byPath[path] = manifest;
        }

        _byApp[appId] = byPath.ToFrozenDictionary(StringComparer.Ordinal);
        var byVersion = new Dictionary<string, BundleManifest>(StringComparer.Ordinal);
        foreach (var bundle in wanted)
        {
            if (byPath.TryGetValue(bundle.Manifest!.BlobPath, out var manifest))
                byVersion[bundle.Version] = manifest;
        }
        return new ManifestAttachment(snapshot.WithManifests(byVersion), unreadable);
    }

    private async Task<(string Path, BundleManifest? Manifest)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            return (path, await files.GetManifestAsync(path, cancellationToken) is { } bytes ? BundleManifestJson.Read(bytes) : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong (storage down, a refused read), the bundle is offered as a zip until a refresh reads it.
            return (path, null);
        }
    }
}
