using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Seeding;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Tables;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

/// <summary>The seed loader (Core) against the real adapters on Azurite.</summary>
public sealed class SeedLoaderTests : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string ExternalSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private readonly AzuriteFixture _azurite;
    private readonly string _appId = "com.test.seed" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _directory = Directory.CreateTempSubdirectory("updatefunctions-seed-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TableCatalogStore _catalog;
    private readonly SeedLoader _loader;
    private readonly byte[] _stableZip = TestZips.Create("1.0.1");
    private readonly byte[] _nextZip = TestZips.Create("1.1.0");

    public SeedLoaderTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _catalog = new TableCatalogStore(StorageClients.Tables(azurite), StorageClients.Options(azurite), _clock);
        var blobs = new BlobBundleStore(StorageClients.Blobs(azurite), StorageClients.Options(azurite), NullLogger<BlobBundleStore>.Instance);
        var files = new BlobBundleFileStore(StorageClients.Blobs(azurite), StorageClients.Options(azurite), NullLogger<BlobBundleFileStore>.Instance);
        _loader = new SeedLoader(_catalog, blobs, new BundleManifestBuilder(files), _clock);
        Directory.CreateDirectory(Path.Combine(_directory, "bundles"));
        File.WriteAllBytes(Path.Combine(_directory, "bundles", "demo-1.0.1.zip"), _stableZip);
        File.WriteAllBytes(Path.Combine(_directory, "bundles", "demo-1.1.0.zip"), _nextZip);
    }

    private string SeedPath => Path.Combine(_directory, "seed.json");

    [Fact]
    public async Task Loading_a_seed_stores_what_it_describes()
    {
        WriteSeed();

        var result = await _loader.LoadFileAsync(SeedPath, Ct);
        var snapshot = await _catalog.LoadSnapshotAsync(_appId, Ct);

        Assert.Equal(new SeedLoadResult(Apps: 1, RowsWritten: 8, RowsUnchanged: 0), result);
        Assert.NotNull(snapshot);
        Assert.Equal(new AppDefinition(_appId, "Demo", "production"), snapshot.App);
        Assert.Equal(new ChannelDefinition("production", 1, "1.0.1"), snapshot.Channels["production"]);
        Assert.Equal(new ChannelDefinition("beta", 2, "1.1.0", AllowDeviceSelfSet: true, DisableAutoUpdate: AutoUpdatePolicy.None),
            snapshot.Channels["beta"]);
        Assert.Equal(new DeviceRecord("0c0ffee0-0000-4000-8000-0000000000b1", OverrideChannel: "beta"),
            snapshot.Devices["0c0ffee0-0000-4000-8000-0000000000b1"]);
        Assert.Equal(new DeviceRecord("0c0ffee0-0000-4000-8000-0000000000a1", PinnedBundle: "1.0.1"),
            snapshot.Devices["0c0ffee0-0000-4000-8000-0000000000a1"]);
        Assert.Equal(new BundleDefinition("2.0.0", null, "https://cdn.example/x.zip", ExternalSha, 0, "aXY=:a2V5",
            CreatedAt: _clock.GetUtcNow(), ManifestUnavailable: ManifestUnavailableReasons.ExternalBundle), snapshot.Bundles["2.0.0"]);
        var next = snapshot.Bundles["1.1.0"];
        Assert.Equal(new BundleDefinition("1.1.0", $"{_appId}/{TestZips.Sha256(_nextZip)}.zip", null, TestZips.Sha256(_nextZip),
            _nextZip.Length, MinUpdateVersion: "1.0.0", CreatedAt: _clock.GetUtcNow()), next with { Manifest = null });
        Assert.Equal(($"{_appId}/manifests/{TestZips.Sha256(_nextZip)}.json", 1), (next.Manifest?.BlobPath, next.Manifest?.Files));
    }

    [Fact]
    public async Task Seed_bundles_are_uploaded_content_addressed()
    {
        WriteSeed();

        await _loader.LoadFileAsync(SeedPath, Ct);

        var blobs = await ListBlobsAsync();
        Assert.Equal(
            new[] { $"{_appId}/{TestZips.Sha256(_nextZip)}.zip", $"{_appId}/{TestZips.Sha256(_stableZip)}.zip" }.Order(StringComparer.Ordinal),
            blobs.Select(b => b.Name).Where(n => n.EndsWith(".zip", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // And their files and manifests, for partial updates: one index.html each, different in each.
        Assert.Equal(2, blobs.Count(b => b.Name.StartsWith($"{_appId}/files/", StringComparison.Ordinal)));
        Assert.Equal(2, blobs.Count(b => b.Name.StartsWith($"{_appId}/manifests/", StringComparison.Ordinal)));
        var stable = (await _catalog.GetBundleAsync(_appId, "1.0.1", Ct))?.Value;
        Assert.Equal(TestZips.Sha256(_stableZip), stable?.Checksum);
        Assert.Equal(_stableZip.Length, stable?.Size);
        Assert.Contains(blobs, b => b.Name == stable?.BlobPath && b.Properties.ContentLength == _stableZip.Length);
    }

    [Fact]
    public async Task Loading_the_same_seed_twice_changes_nothing()
    {
        WriteSeed();
        await _loader.LoadFileAsync(SeedPath, Ct);
        var rowsBefore = await ReadAllRowsAsync();
        var blobsBefore = (await ListBlobsAsync()).Select(b => (b.Name, b.Properties.ETag)).ToList();

        _clock.Advance(TimeSpan.FromHours(1));
        var again = await _loader.LoadFileAsync(SeedPath, Ct);

        Assert.Equal(new SeedLoadResult(Apps: 1, RowsWritten: 0, RowsUnchanged: 8), again);
        Assert.Equal(rowsBefore, await ReadAllRowsAsync());
        Assert.Equal(blobsBefore, (await ListBlobsAsync()).Select(b => (b.Name, b.Properties.ETag)).ToList());
    }

    [Fact]
    public async Task A_changed_seed_rewrites_only_the_rows_that_changed()
    {
        WriteSeed();
        await _loader.LoadFileAsync(SeedPath, Ct);
        var before = await ReadAllRowsAsync();

        WriteSeed(betaBundle: "1.0.1");
        var result = await _loader.LoadFileAsync(SeedPath, Ct);
        var after = await ReadAllRowsAsync();

        Assert.Equal(1, result.RowsWritten);
        Assert.Equal("1.0.1", (await _catalog.GetChannelAsync(_appId, "beta", Ct))?.Value.Bundle);
        Assert.Single(before.Keys, key => !before[key].Equals(after[key]));
    }

    [Fact]
    public async Task Missing_only_keeps_rows_changed_since_and_puts_back_the_missing_ones()
    {
        const string device = "0c0ffee0-0000-4000-8000-0000000000a1";
        WriteSeed();
        await _loader.LoadFileAsync(SeedPath, Ct);
        var beta = (await _catalog.GetChannelAsync(_appId, "beta", Ct))!;
        await _catalog.PutChannelAsync(_appId, beta.Value with { Bundle = "1.0.1" }, WriteCondition.Matching(beta.ETag), Ct);
        var pinned = (await _catalog.GetDeviceAsync(_appId, device, Ct))!;
        await _catalog.DeleteDeviceAsync(_appId, device, WriteCondition.Matching(pinned.ETag), Ct);

        var kept = await _loader.LoadFileAsync(SeedPath, SeedMode.MissingOnly, Ct);
        var betaAfterRestart = (await _catalog.GetChannelAsync(_appId, "beta", Ct))?.Value.Bundle;
        var pinnedAfterRestart = (await _catalog.GetDeviceAsync(_appId, device, Ct))?.Value;
        var reseeded = await _loader.LoadFileAsync(SeedPath, SeedMode.Overwrite, Ct);

        Assert.Equal(new SeedLoadResult(Apps: 1, RowsWritten: 1, RowsUnchanged: 7), kept);
        Assert.Equal("1.0.1", betaAfterRestart);
        Assert.Equal(new DeviceRecord(device, PinnedBundle: "1.0.1"), pinnedAfterRestart);
        Assert.Equal(1, reseeded.RowsWritten);
        Assert.Equal("1.1.0", (await _catalog.GetChannelAsync(_appId, "beta", Ct))?.Value.Bundle);
    }

    [Fact]
    public async Task A_self_assigned_channel_survives_seeding_an_override_for_the_device()
    {
        const string device = "0c0ffee0-0000-4000-8000-0000000000b1";
        await _catalog.PutDeviceAsync(_appId, new DeviceRecord(device, SelfAssignedChannel: "production"), WriteCondition.Create, Ct);
        WriteSeed();

        await _loader.LoadFileAsync(SeedPath, Ct);

        Assert.Equal(new DeviceRecord(device, OverrideChannel: "beta", SelfAssignedChannel: "production"),
            (await _catalog.GetDeviceAsync(_appId, device, Ct))?.Value);
    }

    [Fact]
    public async Task A_missing_bundle_file_is_a_SeedException_naming_it()
    {
        WriteSeed();
        File.Delete(Path.Combine(_directory, "bundles", "demo-1.1.0.zip"));

        var error = await Assert.ThrowsAsync<SeedException>(() => _loader.LoadFileAsync(SeedPath, Ct));

        Assert.StartsWith("$.apps[0].bundles[1].file: cannot read 'bundles/demo-1.1.0.zip'", error.Message, StringComparison.Ordinal);
        Assert.Null(await _catalog.GetAppAsync(_appId, Ct)); // the app row comes last, so the app is not visible half-seeded
    }

    [Fact]
    public async Task An_invalid_seed_file_is_refused_before_anything_is_written()
    {
        File.WriteAllText(SeedPath, Seed().Replace("\"allowDeviceSelfSet\"", "\"allowSelfSet\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<SeedException>(() => _loader.LoadFileAsync(SeedPath, Ct));

        Assert.StartsWith($"{SeedPath}: $.apps[0].channels[1].allowSelfSet: unknown property", error.Message, StringComparison.Ordinal);
        Assert.Null(await _catalog.GetBundleAsync(_appId, "1.0.1", Ct));
        Assert.Empty(await ListBlobsAsync());
    }

    [Fact]
    public async Task A_missing_seed_file_is_a_SeedException()
    {
        var error = await Assert.ThrowsAsync<SeedException>(() => _loader.LoadFileAsync(Path.Combine(_directory, "nope.json"), Ct));

        Assert.Contains("nope.json", error.Message, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Directory.Delete(_directory, recursive: true);
        base.Dispose(disposing);
    }

    private void WriteSeed(string betaBundle = "1.1.0") => File.WriteAllText(SeedPath, Seed(betaBundle));

    private string Seed(string betaBundle = "1.1.0") => $$"""
        {
          "apps": [
            {
              "id": "{{_appId}}",
              "name": "Demo",
              "defaultChannel": "production",
              "publicKey": null,
              "channels": [
                { "name": "production", "bundle": "1.0.1", "disableAutoUpdate": "major" },
                { "name": "beta", "bundle": "{{betaBundle}}", "allowDeviceSelfSet": true, "disableAutoUpdate": "none" }
              ],
              "bundles": [
                { "version": "1.0.1", "file": "bundles/demo-1.0.1.zip" },
                { "version": "1.1.0", "file": "bundles/demo-1.1.0.zip", "minUpdateVersion": "1.0.0" },
                { "version": "2.0.0", "url": "https://cdn.example/x.zip", "checksum": "{{ExternalSha}}", "sessionKey": "aXY=:a2V5" }
              ],
              "devices": [
                { "id": "0c0ffee0-0000-4000-8000-0000000000b1", "channel": "beta" },
                { "id": "0c0ffee0-0000-4000-8000-0000000000a1", "bundle": "1.0.1" }
              ]
            }
          ]
        }
        """;

    /// <summary>Every row the seed writes, by key, with its value and ETag.</summary>
    private async Task<Dictionary<string, (object Value, string ETag)>> ReadAllRowsAsync()
    {
        var rows = new Dictionary<string, (object, string)>(StringComparer.Ordinal);
        void Add<T>(string key, Versioned<T>? row) where T : notnull
        {
            Assert.NotNull(row);
            rows[key] = (row.Value, row.ETag);
        }

        Add("app", await _catalog.GetAppAsync(_appId, Ct));
        foreach (var channel in new[] { "production", "beta" })
            Add("channel " + channel, await _catalog.GetChannelAsync(_appId, channel, Ct));
        foreach (var version in new[] { "1.0.1", "1.1.0", "2.0.0" })
            Add("bundle " + version, await _catalog.GetBundleAsync(_appId, version, Ct));
        foreach (var device in new[] { "0c0ffee0-0000-4000-8000-0000000000b1", "0c0ffee0-0000-4000-8000-0000000000a1" })
            Add("device " + device, await _catalog.GetDeviceAsync(_appId, device, Ct));
        return rows;
    }

    private async Task<List<BlobItem>> ListBlobsAsync()
    {
        var container = _azurite.CreateBlobServiceClient().GetBlobContainerClient(_azurite.BundlesContainer);
        var items = new List<BlobItem>();
        if (!await container.ExistsAsync(Ct))
            return items;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _appId + "/", Ct))
            items.Add(item);
        return items;
    }
}
