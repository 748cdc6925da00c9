using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Core.Seeding;

/// <summary>How many rows a seed load wrote, and how many already held what the seed says.</summary>
public sealed record SeedLoadResult(int Apps, int RowsWritten, int RowsUnchanged);

/// <summary>
/// Puts a seed file's apps, bundles, channels and device overrides into storage (docs/seed-format.md). Idempotent: each row is
/// read first and written (unconditionally) only when it is missing or, with <see cref="SeedMode.Overwrite"/>, differs;
/// bundle zips are content-addressed, so loading the same file twice changes nothing. Rows the seed does not name are
/// left alone.
/// </summary>
public sealed class SeedLoader(ICatalogStore catalog, IBundleBlobStore blobs, BundleManifestBuilder manifests, TimeProvider clock)
{
    /// <summary>Reads, validates and applies the seed file at <paramref name="seedPath"/>; bundle files resolve next to it.</summary>
    public Task<SeedLoadResult> LoadFileAsync(string seedPath, CancellationToken cancellationToken) =>
        LoadFileAsync(seedPath, SeedMode.Overwrite, cancellationToken);

    /// <summary>Reads, validates and applies the seed file; <paramref name="mode"/> says what happens to existing rows.</summary>
    public async Task<SeedLoadResult> LoadFileAsync(string seedPath, SeedMode mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(seedPath);
        var fullPath = Path.GetFullPath(seedPath);
        string json;
        try
        {
            json = await File.ReadAllTextAsync(fullPath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SeedException($"Cannot read the seed file '{fullPath}': {ex.Message}", ex);
        }

        SeedDocument seed;
        try
        {
            seed = SeedParser.Parse(json);
        }
        catch (SeedException ex)
        {
            throw new SeedException($"{fullPath}: {ex.Message}", ex);
        }

        return await ApplyAsync(seed, Path.GetDirectoryName(fullPath)!, mode, cancellationToken);
    }

    /// <summary>Applies a parsed seed; <paramref name="baseDirectory"/> is where relative bundle files are found.</summary>
    public Task<SeedLoadResult> ApplyAsync(SeedDocument seed, string baseDirectory, CancellationToken cancellationToken) =>
        ApplyAsync(seed, baseDirectory, SeedMode.Overwrite, cancellationToken);

    /// <summary>Applies a parsed seed; <paramref name="mode"/> says what happens to existing rows.</summary>
    public async Task<SeedLoadResult> ApplyAsync(SeedDocument seed, string baseDirectory, SeedMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        var tally = new Tally(mode);
        for (var i = 0; i < seed.Apps.Count; i++)
            await ApplyAppAsync(seed.Apps[i], $"$.apps[{i}]", baseDirectory, tally, cancellationToken);
        return new SeedLoadResult(seed.Apps.Count, tally.Written, tally.Unchanged);
    }

    private async Task ApplyAppAsync(SeedApp app, string path, string baseDirectory, Tally tally, CancellationToken cancellationToken)
    {
        // Bundles first, then the channels and devices that name them, and the app row last: an app only becomes
        // visible once everything it refers to is stored.
        for (var i = 0; i < app.Bundles.Count; i++)
        {
            // A bundle that is there is kept without reading (or uploading) its zip.
            var existing = await catalog.GetBundleAsync(app.Id, app.Bundles[i].Version, cancellationToken);
            if (existing is not null && tally.Mode == SeedMode.MissingOnly)
            {
                tally.Unchanged++;
                continue;
            }
            var desired = await ToDefinitionAsync(app.Id, app.Bundles[i], $"{path}.bundles[{i}]", baseDirectory, cancellationToken);
            if (existing is not null && existing.Value with { CreatedAt = null } == desired)
            {
                tally.Unchanged++;
                continue;
            }

            await catalog.PutBundleAsync(app.Id, desired with { CreatedAt = existing?.Value.CreatedAt ?? clock.GetUtcNow() },
                WriteCondition.Any, cancellationToken);
            tally.Written++;
        }

        for (var i = 0; i < app.Channels.Count; i++)
        {
            // The numeric id is the channel's 1-based position in the file: stable as long as the file's order is.
            var desired = app.Channels[i].ToDefinition(i + 1);
            var existing = await catalog.GetChannelAsync(app.Id, desired.Name, cancellationToken);
            tally.Count(await WriteIfChangedAsync(tally.Mode, existing?.Value, desired,
                () => catalog.PutChannelAsync(app.Id, desired, WriteCondition.Any, cancellationToken)));
        }

        foreach (var device in app.Devices)
        {
            // The seed sets the admin override; a channel the device assigned itself is kept.
            var existing = await catalog.GetDeviceAsync(app.Id, device.Id, cancellationToken);
            var desired = (existing?.Value ?? new DeviceRecord(device.Id)) with
            {
                OverrideChannel = device.Channel,
                PinnedBundle = device.Bundle,
            };
            tally.Count(await WriteIfChangedAsync(tally.Mode, existing?.Value, desired,
                () => catalog.PutDeviceAsync(app.Id, desired, WriteCondition.Any, cancellationToken)));
        }

        foreach (var segment in app.Segments ?? [])
        {
            // Segments hold frozen sets, so their JSON form is what "unchanged" compares.
            var existing = await catalog.GetSegmentAsync(app.Id, segment.Name, cancellationToken);
            var desired = SegmentJson.Write(segment);
            tally.Count(await WriteIfChangedAsync(tally.Mode, existing is null ? null : SegmentJson.Write(existing.Value), desired,
                () => catalog.PutSegmentAsync(app.Id, segment, WriteCondition.Any, cancellationToken)));
        }

        var appExisting = await catalog.GetAppAsync(app.Id, cancellationToken);
        var appDesired = new AppDefinition(app.Id, app.Name, app.DefaultChannel, app.PublicKey);
        tally.Count(await WriteIfChangedAsync(tally.Mode, appExisting?.Value, appDesired,
            () => catalog.PutAppAsync(appDesired, WriteCondition.Any, cancellationToken)));
    }

    private async Task<BundleDefinition> ToDefinitionAsync(
        string appId, SeedBundle bundle, string path, string baseDirectory, CancellationToken cancellationToken)
    {
        if (bundle.Url is { } url)
        {
            return new BundleDefinition(bundle.Version, BlobPath: null, ExternalUrl: url.AbsoluteUri, bundle.Checksum!, Size: 0,
                bundle.SessionKey, MinUpdateVersion: bundle.MinUpdateVersion, ManifestUnavailable: ManifestUnavailableReasons.ExternalBundle);
        }

        var file = Path.GetFullPath(Path.Combine(baseDirectory, bundle.File!));
        FileStream zip;
        try
        {
            zip = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SeedException($"{path}.file: cannot read '{bundle.File}' (resolved to '{file}'): {ex.Message}", ex);
        }

        await using (zip)
        {
            var stored = await blobs.PutBundleAsync(appId, zip, cancellationToken);
            // The same files as a commit through the management API would store: a seeded bundle can be served partially.
            var (manifest, unavailable) = string.IsNullOrEmpty(bundle.SessionKey)
                ? BundleManifestBuilder.ForBundle(await manifests.BuildAsync(appId, stored.Sha256, Rewound(zip), cancellationToken))
                : (null, ManifestUnavailableReasons.EncryptedBundle);
            return new BundleDefinition(bundle.Version, stored.BlobPath, ExternalUrl: null, stored.Sha256, stored.Size,
                bundle.SessionKey, MinUpdateVersion: bundle.MinUpdateVersion, Manifest: manifest, ManifestUnavailable: unavailable);
        }
    }

    private static FileStream Rewound(FileStream file)
    {
        file.Position = 0;
        return file;
    }

    private static async Task<bool> WriteIfChangedAsync<T>(SeedMode mode, T? existing, T desired, Func<Task<string>> write)
        where T : class
    {
        if (EqualityComparer<T>.Default.Equals(existing, desired) || (existing is not null && mode == SeedMode.MissingOnly))
            return false;
        await write();
        return true;
    }

    private sealed class Tally(SeedMode mode)
    {
        public SeedMode Mode { get; } = mode;

        public int Written { get; set; }
        public int Unchanged { get; set; }

        public void Count(bool written)
        {
            if (written)
                Written++;
            else
                Unchanged++;
        }
    }
}
