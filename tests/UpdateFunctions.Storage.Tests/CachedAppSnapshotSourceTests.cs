using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Snapshots;
using UpdateFunctions.Storage.Tables;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

/// <summary>The hot path's cache, against real Table Storage (Azurite) seen through counting and outage policies.</summary>
public sealed class CachedAppSnapshotSourceTests : TestTimeout, IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly string _appId = "com.test.s" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RequestCounter _requests = new();
    private readonly Outage _outage = new();
    private readonly TableCatalogStore _store;

    /// <summary>Writes of another instance: they reach this one's snapshots only through the change log.</summary>
    private readonly TableCatalogStore _otherInstance;

    private readonly RequestCounter _blobRequests = new();
    private readonly BlobBundleFileStore _files;

    public CachedAppSnapshotSourceTests(AzuriteFixture azurite)
    {
        _store = new TableCatalogStore(StorageClients.Tables(azurite, _requests, _outage), StorageClients.Options(azurite), _clock);
        _otherInstance = new TableCatalogStore(StorageClients.Tables(azurite), StorageClients.Options(azurite), _clock);
        _files = new BlobBundleFileStore(StorageClients.Blobs(azurite, _blobRequests, _outage), StorageClients.Options(azurite),
            NullLogger<BlobBundleFileStore>.Instance);
    }

    [Fact]
    public async Task Manifests_of_partial_channels_are_attached_and_read_once_across_refreshes()
    {
        var info = await StoreManifestAsync("index.html");
        await _store.PutBundleAsync(_appId, new BundleDefinition("1.0.0", $"{_appId}/a.zip", null, new string('a', 64), 1, Manifest: info), WriteCondition.Any, Ct);
        await _store.PutChannelAsync(_appId, new ChannelDefinition("production", 1, "1.0.0", PartialUpdates: true), WriteCondition.Any, Ct);
        await _store.PutAppAsync(new AppDefinition(_appId, "Demo", "production"), WriteCondition.Any, Ct);
        var manifests = new ManifestCache(_files);
        using var source = CreateSource(_store, manifests: manifests);

        var first = await source.GetAsync(_appId, Ct);
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(Interval);
            await source.GetAsync(_appId, Ct);
            await source.WhenRefreshedAsync(_appId);
        }
        var refreshed = await source.GetAsync(_appId, Ct);

        Assert.Equal("index.html", Assert.Single(first!.FindManifest("1.0.0")!.Files).Path);
        Assert.NotSame(first, refreshed);
        Assert.Same(first.FindManifest("1.0.0"), refreshed!.FindManifest("1.0.0"));
        Assert.Equal(1, manifests.Reads);
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_read_is_left_out_and_read_again_at_the_next_refresh()
    {
        var info = await StoreManifestAsync("app.js");
        await _store.PutBundleAsync(_appId, new BundleDefinition("1.0.0", $"{_appId}/a.zip", null, new string('a', 64), 1, Manifest: info), WriteCondition.Any, Ct);
        await _store.PutChannelAsync(_appId, new ChannelDefinition("production", 1, "1.0.0", PartialUpdates: true), WriteCondition.Any, Ct);
        await _store.PutAppAsync(new AppDefinition(_appId, "Demo", "production"), WriteCondition.Any, Ct);
        var logger = new ListLogger<CachedAppSnapshotSource>();
        var files = new BlobsDown(_files) { Down = true };
        using var source = CreateSource(_store, logger, new ManifestCache(files));

        var without = await source.GetAsync(_appId, Ct);
        files.Down = false;
        _clock.Advance(Interval);
        await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);
        var healed = await source.GetAsync(_appId, Ct);

        Assert.NotNull(without);
        Assert.Null(without.FindManifest("1.0.0"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("could not be read", StringComparison.Ordinal));
        Assert.NotNull(healed!.FindManifest("1.0.0"));
    }

    private async Task<BundleManifestInfo> StoreManifestAsync(string path)
    {
        var manifest = new BundleManifest([new ManifestFile(path, new string('c', 64), 3, false, 3)]);
        var blobPath = BundleLayout.ManifestBlobPath(_appId, Guid.NewGuid().ToString("N"));
        await _files.PutManifestAsync(blobPath, BundleManifestJson.Write(manifest), Ct);
        return new BundleManifestInfo(blobPath, 1, 3, 3);
    }

    /// <summary>A file store whose manifest reads fail as storage being down, while <see cref="Down"/>.</summary>
    private sealed class BlobsDown(IBundleFileStore inner) : IBundleFileStore
    {
        public volatile bool Down;

        public Task<Stream> OpenBundleAsync(string blobPath, CancellationToken cancellationToken) => inner.OpenBundleAsync(blobPath, cancellationToken);
        public Task<IReadOnlyDictionary<string, long>> ListFilesAsync(string appId, CancellationToken cancellationToken) => inner.ListFilesAsync(appId, cancellationToken);
        public Task PutFileAsync(string appId, string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutFileAsync(appId, blobName, content, cancellationToken);
        public Task<byte[]?> GetManifestAsync(string blobPath, CancellationToken cancellationToken) =>
            Down ? throw new StorageUnavailableException("down") : inner.GetManifestAsync(blobPath, cancellationToken);
        public Task PutManifestAsync(string blobPath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutManifestAsync(blobPath, content, cancellationToken);
    }

    [Fact]
    public async Task Warm_check_makes_no_storage_call()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        var cold = await source.GetAsync(_appId, Ct);
        var afterColdLoad = _requests.Requests;

        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < 100; i++)
            Assert.Same(cold, await source.GetAsync(_appId, Ct));

        Assert.NotNull(cold);
        Assert.True(afterColdLoad > 0, "the cold load went through the counted pipeline");
        Assert.Equal(afterColdLoad, _requests.Requests);
    }

    [Fact]
    public async Task Stale_snapshot_is_returned_at_once_and_refreshed_in_the_background()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        var old = await source.GetAsync(_appId, Ct);
        await SetChannelBundleAsync("1.0.1");

        _clock.Advance(Interval);
        var served = await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);
        var refreshed = await source.GetAsync(_appId, Ct);

        Assert.Same(old, served);
        Assert.Equal("1.0.1", refreshed?.FindChannel("production")?.Bundle);
        Assert.Equal(_clock.GetUtcNow(), refreshed?.LoadedAt);
    }

    [Fact]
    public async Task Snapshot_is_served_stale_while_table_is_unreachable()
    {
        await SeedAppAsync("1.0.0");
        var logger = new ListLogger<CachedAppSnapshotSource>();
        using var source = CreateSource(_store, logger);
        var old = await source.GetAsync(_appId, Ct);
        await SetChannelBundleAsync("1.0.1");

        _outage.Unreachable = true;
        _clock.Advance(Interval + TimeSpan.FromSeconds(1));
        var duringOutage = await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);
        var afterFailedRefresh = await source.GetAsync(_appId, Ct);

        Assert.Same(old, duringOutage);
        Assert.Same(old, afterFailedRefresh);
        Assert.True(_outage.FailedRequests > 0, "a refresh was attempted during the outage");
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(warning.State, p => p.Key == "AppId" && Equals(p.Value, _appId));

        _outage.Unreachable = false;
        _clock.Advance(Interval);
        Assert.Same(old, await source.GetAsync(_appId, Ct)); // starts the retry, answers at once
        await source.WhenRefreshedAsync(_appId);

        Assert.Equal("1.0.1", (await source.GetAsync(_appId, Ct))?.FindChannel("production")?.Bundle);
    }

    [Fact]
    public async Task Failed_refresh_is_retried_only_after_another_interval()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        await source.GetAsync(_appId, Ct);
        _outage.Unreachable = true;
        _clock.Advance(Interval);
        await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);
        var attempts = _outage.FailedRequests;

        _clock.Advance(Interval / 2);
        for (var i = 0; i < 20; i++)
            await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);

        Assert.Equal(attempts, _outage.FailedRequests);
    }

    [Fact]
    public async Task First_check_while_table_is_unreachable_throws_StorageUnavailableException()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        _outage.Unreachable = true;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => source.GetAsync(_appId, Ct).AsTask());

        _outage.Unreachable = false;
        Assert.NotNull(await source.GetAsync(_appId, Ct)); // the failure was not cached
    }

    [Fact]
    public async Task Concurrent_cold_checks_share_one_load()
    {
        await SeedAppAsync("1.0.0");
        var gated = new GatedStore(_store);
        using var source = CreateSource(gated);

        var calls = Enumerable.Range(0, 64).Select(_ => source.GetAsync(_appId, Ct).AsTask()).ToList();
        calls.AddRange(Enumerable.Range(0, 64).Select(_ => Task.Run(() => source.GetAsync(_appId, Ct).AsTask())));
        await gated.LoadStarted.Task.WaitAsync(Ct);
        Assert.DoesNotContain(calls.Take(64), c => c.IsCompleted);
        gated.Release();
        var snapshots = await Task.WhenAll(calls);

        Assert.Equal(1, gated.Loads);
        Assert.NotNull(snapshots[0]);
        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
    }

    [Fact]
    public async Task A_cancelled_first_caller_does_not_cancel_the_shared_load()
    {
        await SeedAppAsync("1.0.0");
        var gated = new GatedStore(_store);
        using var source = CreateSource(gated);
        using var impatient = new CancellationTokenSource();

        var cancelled = source.GetAsync(_appId, impatient.Token).AsTask();
        var patient = source.GetAsync(_appId, Ct).AsTask();
        await gated.LoadStarted.Task.WaitAsync(Ct);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gated.Release();

        Assert.NotNull(await patient);
        Assert.Equal(1, gated.Loads);
    }

    [Fact]
    public async Task Background_refresh_outlives_the_request_that_started_it()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        await source.GetAsync(_appId, Ct);
        await SetChannelBundleAsync("1.0.1");
        _clock.Advance(Interval);

        using (var request = new CancellationTokenSource())
        {
            await source.GetAsync(_appId, request.Token);
            await request.CancelAsync();
        }

        await source.WhenRefreshedAsync(_appId);
        Assert.Equal("1.0.1", (await source.GetAsync(_appId, Ct))?.FindChannel("production")?.Bundle);
    }

    [Fact]
    public async Task Unknown_app_is_cached_as_absent()
    {
        using var source = CreateSource(_store);
        Assert.Null(await source.GetAsync(_appId, Ct));
        var afterFirst = _requests.Requests;

        for (var i = 0; i < 50; i++)
            Assert.Null(await source.GetAsync(_appId, Ct));

        Assert.Equal(afterFirst, _requests.Requests);
    }

    [Fact]
    public async Task Absent_app_that_gets_created_appears_after_the_next_refresh()
    {
        using var source = CreateSource(_store);
        Assert.Null(await source.GetAsync(_appId, Ct));
        await SeedAppAsync("1.0.0");

        _clock.Advance(Interval);
        Assert.Null(await source.GetAsync(_appId, Ct));
        await source.WhenRefreshedAsync(_appId);

        Assert.NotNull(await source.GetAsync(_appId, Ct));
    }

    [Fact]
    public async Task Invalidate_makes_the_next_check_wait_for_a_catch_up_that_serves_the_write()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        var old = await source.GetAsync(_appId, Ct);
        await SetChannelBundleAsync("1.0.1");

        source.Invalidate(_appId);
        var served = await source.GetAsync(_appId, Ct);

        Assert.Equal("1.0.0", old?.FindChannel("production")?.Bundle);
        Assert.Equal("1.0.1", served?.FindChannel("production")?.Bundle);
        Assert.Same(old!.Devices, served!.Devices); // caught up from the log: the device rows were not reloaded
    }

    [Fact]
    public async Task Invalidate_of_an_app_cached_as_absent_makes_the_next_check_read_storage()
    {
        using var source = CreateSource(_store);
        Assert.Null(await source.GetAsync(_appId, Ct));
        await SeedAppAsync("1.0.0");

        source.Invalidate(_appId);

        Assert.Equal("1.0.0", (await source.GetAsync(_appId, Ct))?.FindChannel("production")?.Bundle);
    }

    [Fact]
    public async Task A_write_of_this_instance_is_in_its_snapshot_at_once()
    {
        await SeedAppAsync("1.0.0");
        using var source = CreateSource(_store);
        await source.GetAsync(_appId, Ct);
        var before = _requests.Requests;

        await _store.PutDeviceAsync(_appId, new DeviceRecord("dev-1", SelfAssignedChannel: "production"), WriteCondition.Create, Ct);
        var afterWrite = _requests.Requests;
        var snapshot = await source.GetAsync(_appId, Ct);

        Assert.Equal("production", snapshot?.FindDevice("dev-1")?.SelfAssignedChannel);
        Assert.Equal(2, afterWrite - before); // the row and its change-log entry
        Assert.Equal(afterWrite, _requests.Requests); // the check read nothing
    }

    [Fact]
    public async Task A_flood_of_unknown_apps_keeps_the_cache_bounded()
    {
        using var source = CreateSource(new InMemory.InMemoryCatalogStore(_clock));

        for (var i = 0; i < CachedAppSnapshotSource.MaxEntries + 10; i++)
            Assert.Null(await source.GetAsync($"com.unknown.app{i}", Ct));

        Assert.True(source.CachedApps <= CachedAppSnapshotSource.MaxEntries);
    }

    private CachedAppSnapshotSource CreateSource(ICatalogStore store, ILogger<CachedAppSnapshotSource>? logger = null, ManifestCache? manifests = null) => new(
        store,
        Microsoft.Extensions.Options.Options.Create(new StorageOptions { SnapshotRefreshInterval = Interval }),
        _clock,
        logger ?? NullLogger<CachedAppSnapshotSource>.Instance,
        manifests);

    private async Task SeedAppAsync(string bundle)
    {
        await _store.PutBundleAsync(_appId, new BundleDefinition(bundle, null, "https://x.example/a.zip", new string('a', 64), 0), WriteCondition.Any, Ct);
        await _store.PutChannelAsync(_appId, new ChannelDefinition("production", 1, bundle), WriteCondition.Any, Ct);
        await _store.PutAppAsync(new AppDefinition(_appId, "Demo", "production"), WriteCondition.Any, Ct);
    }

    private async Task SetChannelBundleAsync(string bundle)
    {
        // Later than the seed: two writers' positions only tie when their clocks show the same tick.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _otherInstance.PutBundleAsync(_appId, new BundleDefinition(bundle, null, "https://x.example/b.zip", new string('b', 64), 0), WriteCondition.Any, Ct);
        await _otherInstance.PutChannelAsync(_appId, new ChannelDefinition("production", 1, bundle), WriteCondition.Any, Ct);
    }

    /// <summary>The real store, with loads counted and held at a gate until the test opens it.</summary>
    private sealed class GatedStore(ICatalogStore inner) : ICatalogStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _loads;

        public TaskCompletionSource LoadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Loads => Volatile.Read(ref _loads);

        public void Release() => _gate.TrySetResult();

        public async Task<AppSnapshot?> LoadSnapshotAsync(string appId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            LoadStarted.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            return await inner.LoadSnapshotAsync(appId, cancellationToken);
        }

        public Task<Versioned<AppDefinition>?> GetAppAsync(string appId, CancellationToken cancellationToken) => inner.GetAppAsync(appId, cancellationToken);
        public Task<IReadOnlyList<AppDefinition>> ListAppsAsync(CancellationToken cancellationToken) => inner.ListAppsAsync(cancellationToken);
        public Task<string> PutAppAsync(AppDefinition app, WriteCondition condition, CancellationToken cancellationToken) => inner.PutAppAsync(app, condition, cancellationToken);
        public Task<Versioned<ChannelDefinition>?> GetChannelAsync(string appId, string channel, CancellationToken cancellationToken) => inner.GetChannelAsync(appId, channel, cancellationToken);
        public Task<string> PutChannelAsync(string appId, ChannelDefinition channel, WriteCondition condition, CancellationToken cancellationToken) => inner.PutChannelAsync(appId, channel, condition, cancellationToken);
        public Task DeleteChannelAsync(string appId, string channel, WriteCondition condition, CancellationToken cancellationToken) => inner.DeleteChannelAsync(appId, channel, condition, cancellationToken);
        public Task<Versioned<BundleDefinition>?> GetBundleAsync(string appId, string version, CancellationToken cancellationToken) => inner.GetBundleAsync(appId, version, cancellationToken);
        public Task<string> PutBundleAsync(string appId, BundleDefinition bundle, WriteCondition condition, CancellationToken cancellationToken) => inner.PutBundleAsync(appId, bundle, condition, cancellationToken);
        public Task DeleteBundleAsync(string appId, string version, WriteCondition condition, CancellationToken cancellationToken) => inner.DeleteBundleAsync(appId, version, condition, cancellationToken);
        public Task<Versioned<DeviceRecord>?> GetDeviceAsync(string appId, string deviceId, CancellationToken cancellationToken) => inner.GetDeviceAsync(appId, deviceId, cancellationToken);
        public Task<string> PutDeviceAsync(string appId, DeviceRecord device, WriteCondition condition, CancellationToken cancellationToken) => inner.PutDeviceAsync(appId, device, condition, cancellationToken);
        public Task DeleteDeviceAsync(string appId, string deviceId, WriteCondition condition, CancellationToken cancellationToken) => inner.DeleteDeviceAsync(appId, deviceId, condition, cancellationToken);
        public Task<Versioned<SegmentDefinition>?> GetSegmentAsync(string appId, string segment, CancellationToken cancellationToken) => inner.GetSegmentAsync(appId, segment, cancellationToken);
        public Task<string> PutSegmentAsync(string appId, SegmentDefinition segment, WriteCondition condition, CancellationToken cancellationToken) => inner.PutSegmentAsync(appId, segment, condition, cancellationToken);
        public Task DeleteSegmentAsync(string appId, string segment, WriteCondition condition, CancellationToken cancellationToken) => inner.DeleteSegmentAsync(appId, segment, condition, cancellationToken);
        public Task<Versioned<RolloutDefinition>?> GetRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken) => inner.GetRolloutAsync(appId, rolloutId, cancellationToken);
        public Task<IReadOnlyList<Versioned<RolloutDefinition>>> ListRolloutsAsync(string appId, CancellationToken cancellationToken) => inner.ListRolloutsAsync(appId, cancellationToken);
        public Task<string> PutRolloutAsync(string appId, RolloutDefinition rollout, WriteCondition condition, CancellationToken cancellationToken) => inner.PutRolloutAsync(appId, rollout, condition, cancellationToken);
        public Task DeleteRolloutAsync(string appId, string rolloutId, WriteCondition condition, CancellationToken cancellationToken) => inner.DeleteRolloutAsync(appId, rolloutId, condition, cancellationToken);
    }
}
