using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Diagnostics;
using UpdateFunctions.Storage.Snapshots;
using UpdateFunctions.Storage.Tables;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Snapshots;

/// <summary>
/// The read path at scale (docs/read-path.md) on Azurite: refreshes cost what changed, a cold instance starts from the
/// compacted blob, and concurrent writers, compactions and instances never lose a change.
/// </summary>
public sealed class CatalogReadPathTests : TestTimeout, IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly AzuriteFixture _azurite;
    private readonly string _appId = "com.test.r" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly IOptions<StorageOptions> _options;

    public CatalogReadPathTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _options = StorageClients.Options(azurite, o =>
        {
            o.SnapshotRefreshInterval = Interval;
            o.SnapshotsContainer = azurite.BundlesContainer + "-snap";
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() =>
        await _azurite.CreateBlobServiceClient().GetBlobContainerClient(_options.Value.SnapshotsContainer).DeleteIfExistsAsync();

    [Theory]
    [InlineData(10)]
    [InlineData(3_000)]
    public async Task An_idle_refresh_is_one_table_transaction_whatever_the_device_rows(int devices)
    {
        var traffic = new StorageTrafficCounter();
        var store = Store(_clock, traffic);
        await SeedAppAsync(store, devices);
        using var source = Source(store, _clock);
        Assert.Equal(devices, (await source.GetAsync(_appId, Ct))!.Devices.Count);
        await RefreshAsync(source); // reads the overlap after the load once

        var before = traffic.Requests;
        var bytesBefore = traffic.ResponseBytes;
        await RefreshAsync(source);

        Assert.Equal(1, traffic.Requests - before);
        Assert.InRange(traffic.ResponseBytes - bytesBefore, 0, 2_000);
    }

    [Fact]
    public async Task A_refresh_applies_another_instance_s_device_changes_in_order_and_deletes_as_tombstones()
    {
        var store = Store(_clock);
        await SeedAppAsync(store, 2);
        using var source = Source(store, _clock);
        await source.GetAsync(_appId, Ct);
        var other = Store(_clock);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await SelfAssignAsync(other, "new-device", "beta");
        await SelfAssignAsync(other, "new-device", "alpha");
        await SelfAssignAsync(other, "device-0", "beta");
        await other.DeleteDeviceAsync(_appId, "device-1", WriteCondition.Any, Ct);
        var before = await source.GetAsync(_appId, Ct);
        await RefreshAsync(source);
        var after = (await source.GetAsync(_appId, Ct))!;

        Assert.Null(before!.FindDevice("new-device"));
        Assert.Equal("alpha", after.FindDevice("new-device")?.SelfAssignedChannel);
        Assert.Equal("beta", after.FindDevice("device-0")?.SelfAssignedChannel);
        Assert.Null(after.FindDevice("device-1"));
        Assert.Equal(2, after.Devices.Count);
    }

    [Fact]
    public async Task An_import_by_another_instance_is_one_change_that_reloads_the_rows_once()
    {
        var store = Store(_clock);
        await SeedAppAsync(store, 10);
        using var source = Source(store, _clock, blobs: true);
        await source.GetAsync(_appId, Ct);
        var other = Store(_clock);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await other.PutDevicesAsync(_appId, Enumerable.Range(0, 500).Select(i => new DeviceRecord($"imported-{i}", "production")).ToList(), Ct);
        var logged = await other.ReadChangesAsync(_appId, _clock.GetUtcNow().UtcTicks - 1, Ct);
        await RefreshAsync(source);
        var after = (await source.GetAsync(_appId, Ct))!;

        Assert.True(Assert.Single(logged).IsImport);
        Assert.Equal(510, after.Devices.Count);
        Assert.Equal("production", after.FindDevice("imported-499")?.OverrideChannel);
    }

    [Fact]
    public async Task A_refresh_reads_back_a_changed_channel_and_drops_a_deleted_one()
    {
        var store = Store(_clock);
        await SeedAppAsync(store, 0);
        await store.PutChannelAsync(_appId, new ChannelDefinition("old", 2, "1.0.0"), WriteCondition.Any, Ct);
        using var source = Source(store, _clock);
        await source.GetAsync(_appId, Ct);
        var other = Store(_clock);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await other.PutBundleAsync(_appId, Bundle("1.1.0"), WriteCondition.Any, Ct);
        await other.PutChannelAsync(_appId, new ChannelDefinition("production", 1, "1.1.0"), WriteCondition.Any, Ct);
        await other.DeleteChannelAsync(_appId, "old", WriteCondition.Any, Ct);
        await RefreshAsync(source);
        var after = (await source.GetAsync(_appId, Ct))!;

        Assert.Equal("1.1.0", after.FindChannel("production")?.Bundle);
        Assert.Null(after.FindChannel("old"));
        Assert.NotNull(after.FindBundle("1.1.0"));
    }

    [Fact]
    public async Task A_cold_instance_reads_the_compacted_blob_and_the_changes_after_it()
    {
        var writer = Store(_clock);
        await SeedAppAsync(writer, 2_000);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await Compactor(writer, _clock).CompactAsync(_appId, Ct);
        _clock.Advance(Interval);
        await SelfAssignAsync(writer, "device-7", "beta");
        await SelfAssignAsync(writer, "late-device", "beta");
        await writer.DeleteDeviceAsync(_appId, "device-8", WriteCondition.Any, Ct);

        var paths = new RequestPaths();
        using var cold = Source(Store(_clock, paths), _clock, blobs: true);
        var snapshot = (await cold.GetAsync(_appId, Ct))!;

        Assert.Equal(2_000, snapshot.Devices.Count);
        Assert.Equal("beta", snapshot.FindDevice("device-7")?.SelfAssignedChannel);
        Assert.Equal("beta", snapshot.FindDevice("late-device")?.SelfAssignedChannel);
        Assert.Null(snapshot.FindDevice("device-8"));
        Assert.Equal("production", snapshot.FindDevice("device-1999")?.OverrideChannel);
        // The app row, the small tables and the change log: not one request for the device partitions.
        Assert.Contains(paths.Paths, p => p.Contains(TableCatalogStore.ChangesTable, StringComparison.Ordinal));
        Assert.DoesNotContain(paths.Paths, p => p.Contains(TableCatalogStore.DevicesTable, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_snapshot_blob_is_logged_and_the_tables_serve_instead()
    {
        var writer = Store(_clock);
        await SeedAppAsync(writer, 50);
        var blobs = Blobs();
        await writer.PutDeviceAsync(_appId, new DeviceRecord("device-3", "beta"), WriteCondition.Any, Ct);
        await _azurite.CreateBlobServiceClient().GetBlobContainerClient(_options.Value.SnapshotsContainer).CreateIfNotExistsAsync(cancellationToken: Ct);
        await blobs.Blob(_appId).UploadAsync(BinaryData.FromString("not a snapshot"), overwrite: true, Ct);
        var logger = new ListLogger<CachedAppSnapshotSource>();

        using var cold = Source(Store(_clock), _clock, blobs: true, logger);
        var snapshot = (await cold.GetAsync(_appId, Ct))!;

        Assert.Equal(50, snapshot.Devices.Count);
        Assert.Equal("beta", snapshot.FindDevice("device-3")?.OverrideChannel);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("snapshot blob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_racing_compactions_are_all_visible_on_a_fresh_instance()
    {
        var clock = TimeProvider.System;
        var writers = Enumerable.Range(0, 4).Select(_ => Store(clock)).ToList();
        await SeedAppAsync(writers[0], 200);
        var compactor = Compactor(Store(clock), clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var compactions = Task.Run(async () =>
        {
            var runs = 0;
            while (!stop.IsCancellationRequested)
            {
                await compactor.CompactAsync(_appId, Ct);
                runs++;
            }
            return runs;
        }, Ct);
        var expected = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>();
        await Task.WhenAll(writers.Select((writer, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var deviceId = $"device-{(i * 7) + w}";
                var channel = i % 5 == 4 ? null : $"c{w}-{i}";
                await SelfAssignAsync(writer, deviceId, channel);
                expected[deviceId] = channel;
            }
        }, Ct)));
        await stop.CancelAsync();
        var runs = await compactions;

        using var fresh = Source(Store(clock), clock, blobs: true);
        var snapshot = (await fresh.GetAsync(_appId, Ct))!;

        Assert.True(runs >= 2, $"{runs} compaction(s) ran during the writes");
        foreach (var (deviceId, channel) in expected)
            Assert.Equal(channel, snapshot.FindDevice(deviceId)?.SelfAssignedChannel);
    }

    [Fact]
    public async Task Two_instances_converge_under_conflicting_writes_retried_on_ETag_conflicts()
    {
        var clock = TimeProvider.System;
        var (storeA, storeB) = (Store(clock), Store(clock));
        await SeedAppAsync(storeA, 20);
        using var a = Source(storeA, clock);
        using var b = Source(storeB, clock);
        await a.GetAsync(_appId, Ct);
        await b.GetAsync(_appId, Ct);

        var conflicts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => SelfAssignAsync(i % 2 == 0 ? storeA : storeB, $"device-{i % 3}", $"channel-{i}"), Ct)));
        a.Invalidate(_appId);
        b.Invalidate(_appId);
        await a.GetAsync(_appId, Ct);
        await b.GetAsync(_appId, Ct);
        await a.WhenRefreshedAsync(_appId);
        await b.WhenRefreshedAsync(_appId);

        Assert.True(conflicts.Sum() > 0, "the writers met ETag conflicts and retried");
        for (var d = 0; d < 3; d++)
        {
            var stored = (await storeA.GetDeviceAsync(_appId, $"device-{d}", Ct))!.Value;
            Assert.Equal(stored, (await a.GetAsync(_appId, Ct))!.FindDevice($"device-{d}"));
            Assert.Equal(stored, (await b.GetAsync(_appId, Ct))!.FindDevice($"device-{d}"));
        }
    }

    [Fact]
    public async Task A_change_logged_late_is_logged_again_where_a_reader_past_its_position_finds_it()
    {
        var stall = new ClockStall(_clock, TimeSpan.FromSeconds(30));
        var writer = Store(_clock, stall);
        await SeedAppAsync(writer, 0);
        var position = _clock.GetUtcNow().UtcTicks;

        stall.Armed = true;
        await writer.PutDeviceAsync(_appId, new DeviceRecord("slow", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        var readerPast = await writer.ReadChangesAsync(_appId, position + TimeSpan.FromSeconds(10).Ticks, Ct);

        var change = Assert.Single(readerPast);
        Assert.Equal("slow", change.Key);
        Assert.False(change.Known); // a refetch: the reader reads the row itself
    }

    [Fact]
    public async Task Concurrent_writes_share_change_log_transactions_and_every_entry_is_stored()
    {
        var paths = new RequestPaths();
        var store = Store(_clock, paths);
        await SeedAppAsync(store, 0);
        // A log entry alone goes to the table; entries together go out as a batch (the only batches here).
        bool IsLogWrite(string path) => path.Contains(TableCatalogStore.ChangesTable, StringComparison.Ordinal) || path.EndsWith("$batch", StringComparison.Ordinal);
        var before = paths.Paths.Count(IsLogWrite);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(
            () => store.PutDeviceAsync(_appId, new DeviceRecord($"storm-{i}", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct), Ct)));
        var logTransactions = paths.Paths.Count(IsLogWrite) - before;
        var logged = await store.ReadChangesAsync(_appId, 0, Ct);

        Assert.Equal(64, logged.Count(c => c.Key.StartsWith("storm-", StringComparison.Ordinal)));
        Assert.InRange(logTransactions, 1, 63);
    }

    [Fact]
    public async Task A_group_commit_is_one_log_row_holding_each_change_with_its_own_position_and_state()
    {
        var gate = new ChangeLogGate();
        var store = Store(_clock, gate);
        await SeedAppAsync(store, 10);
        var rowsBefore = await LogRowsAsync();
        var written = 0;
        store.Written += (_, _) => Interlocked.Increment(ref written);

        // The first write's log commit is held, so the 40 writes after it queue up and go out in one commit.
        gate.HoldWrites = true;
        var first = store.PutDeviceAsync(_appId, new DeviceRecord("first", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        await gate.WriteHeld.WaitAsync(Ct);
        var writes = new List<Task>();
        for (var i = 0; i < 5; i++)
            writes.Add(store.DeleteDeviceAsync(_appId, $"device-{i}", WriteCondition.Any, Ct));
        for (var i = 5; i < 10; i++)
            writes.Add(store.PutDeviceAsync(_appId, new DeviceRecord($"device-{i}", "production", "1.0.0"), WriteCondition.Any, Ct));
        for (var i = 0; i < 30; i++)
            writes.Add(store.PutDeviceAsync(_appId, new DeviceRecord($"joined-{i}", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct));
        while (Volatile.Read(ref written) < 41)
            await Task.Delay(5, Ct);
        await Task.Delay(50, Ct); // each write queues its entry on the thread that raised Written
        gate.HoldWrites = false;
        await first;
        await Task.WhenAll(writes);

        var rows = await LogRowsAsync();
        Assert.Equal(rowsBefore.Count + 2, rows.Count);
        var logged = (await store.ReadChangesAsync(_appId, 0, Ct)).Where(c => c.Key.StartsWith("device-", StringComparison.Ordinal) || c.Key.StartsWith("joined-", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, logged.Count);
        Assert.Equal(logged.OrderBy(c => c.Position).Select(c => c.Position), logged.Select(c => c.Position));
        Assert.Equal(40, logged.Select(c => c.Position).Distinct().Count());
        Assert.All(logged, c => Assert.True(c.Known));
        Assert.All(logged.Where(c => c.Key is "device-0" or "device-4"), c => Assert.Null(c.Value));
        Assert.Equal(new DeviceRecord("device-7", "production", "1.0.0"), logged.Single(c => c.Key == "device-7").Value);
        Assert.Equal(new DeviceRecord("joined-29", SelfAssignedChannel: "beta"), logged.Single(c => c.Key == "joined-29").Value);
        var packed = Assert.Single(rows, r => r.GetString("Kind") == "Packed");
        Assert.StartsWith(logged.Min(c => c.Position).ToString("D19", System.Globalization.CultureInfo.InvariantCulture), packed.RowKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_commit_too_big_for_one_row_goes_out_as_several_rows_of_one_transaction()
    {
        var gate = new ChangeLogGate();
        var store = Store(_clock, gate);
        await SeedAppAsync(store, 0);
        var rowsBefore = (await LogRowsAsync()).Count;
        var written = 0;
        store.Written += (_, _) => Interlocked.Increment(ref written);

        gate.HoldWrites = true;
        var first = store.PutDeviceAsync(_appId, new DeviceRecord("first", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        await gate.WriteHeld.WaitAsync(Ct);
        // Ids of 500 characters: a packed row (at most 60 KB) holds about 110 of them.
        var ids = Enumerable.Range(0, 250).Select(i => $"long-{i:D3}-" + new string('x', 491)).ToList();
        var writes = ids.Select(id => store.PutDeviceAsync(_appId, new DeviceRecord(id, SelfAssignedChannel: "beta"), WriteCondition.Any, Ct)).ToList();
        while (Volatile.Read(ref written) < 251 && !writes.Any(w => w.IsFaulted))
            await Task.Delay(5, Ct);
        await Task.Delay(50, Ct);
        var heldBefore = gate.WritesSent;
        gate.HoldWrites = false;
        await first;
        await Task.WhenAll(writes);

        var packed = (await LogRowsAsync()).Skip(rowsBefore).Where(r => r.GetString("Kind") == "Packed").ToList();
        Assert.InRange(packed.Count, 2, 10);
        Assert.All(packed, r => Assert.InRange(r.GetBinary("Changes").Length, 1, 60_000));
        Assert.Equal(heldBefore + 1, gate.WritesSent); // all of them in one request: one batch transaction
        var logged = await store.ReadChangesAsync(_appId, 0, Ct);
        Assert.Equal(ids.Order(StringComparer.Ordinal), logged.Where(c => c.Key.StartsWith("long-", StringComparison.Ordinal)).Select(c => c.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_group_commit_visible_late_is_logged_again_for_every_change_in_it_even_a_recent_one()
    {
        var gate = new ChangeLogGate();
        var store = Store(_clock, gate);
        await SeedAppAsync(store, 0);
        var written = 0;
        store.Written += (_, _) => Interlocked.Increment(ref written);

        gate.HoldWrites = true;
        var first = store.PutDeviceAsync(_appId, new DeviceRecord("first", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        await gate.WriteHeld.WaitAsync(Ct);
        var oldAt = _clock.GetUtcNow().UtcTicks;
        var old = store.PutDeviceAsync(_appId, new DeviceRecord("old", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var recent = store.PutDeviceAsync(_appId, new DeviceRecord("recent", SelfAssignedChannel: "beta"), WriteCondition.Any, Ct);
        while (Volatile.Read(ref written) < 3)
            await Task.Delay(5, Ct);
        await Task.Delay(50, Ct);
        gate.HoldWrites = false;
        await Task.WhenAll(first, old, recent);

        // "recent" shares a row keyed by "old"'s position, 30 s back: a reader already past it would never read that
        // row, so both are logged again where it looks.
        var readerPast = await store.ReadChangesAsync(_appId, oldAt + TimeSpan.FromSeconds(10).Ticks, Ct);
        Assert.Contains(readerPast, c => c.Key == "recent" && !c.Known);
        Assert.Contains(readerPast, c => c.Key == "old" && !c.Known);
    }

    [Fact]
    public async Task Writes_made_while_a_load_reads_the_log_before_their_entries_land_are_in_the_loaded_snapshot()
    {
        var gate = new ChangeLogGate();
        var store = Store(_clock, gate);
        await SeedAppAsync(store, 3);
        using var source = Source(store, _clock);
        _clock.Advance(TimeSpan.FromSeconds(1)); // the seed's import is behind the load, which reads the tables once

        // The load has read the tables and waits on its change-log query; the writes land after the tables were read,
        // and their log entries only after the load has finished.
        gate.HoldQueries = true;
        var load = source.GetAsync(_appId, Ct).AsTask();
        await gate.QueryHeld.WaitAsync(Ct);
        gate.HoldWrites = true;
        var channel = store.PutChannelAsync(_appId, new ChannelDefinition("late", 3, "1.0.0", AllowDeviceSelfSet: true), WriteCondition.Any, Ct);
        await gate.WriteHeld.WaitAsync(Ct);
        var written = 0;
        store.Written += (_, _) => Interlocked.Increment(ref written);
        var device = store.PutDeviceAsync(_appId, new DeviceRecord("device-1", SelfAssignedChannel: "late"), WriteCondition.Any, Ct);
        while (Volatile.Read(ref written) == 0) // its entry queues behind the held commit
            await Task.Delay(5, Ct);
        gate.HoldQueries = false;
        var snapshot = (await load)!;
        gate.HoldWrites = false;
        await Task.WhenAll(channel, device);

        Assert.NotNull(snapshot.FindChannel("late"));
        Assert.Equal("late", snapshot.FindDevice("device-1")?.SelfAssignedChannel);
        Assert.Equal("production", snapshot.FindDevice("device-2")?.OverrideChannel);
    }

    [Fact]
    public async Task Compaction_trims_changes_older_than_the_retention_and_a_fresh_instance_still_sees_everything()
    {
        var writer = Store(_clock);
        await SeedAppAsync(writer, 30);
        await SelfAssignAsync(writer, "device-1", "beta");
        _clock.Advance(_options.Value.ChangeLogRetention + TimeSpan.FromMinutes(1));
        await SelfAssignAsync(writer, "device-2", "beta");

        var result = await Compactor(writer, _clock).CompactAsync(_appId, Ct);
        using var fresh = Source(Store(_clock), _clock, blobs: true);
        var snapshot = (await fresh.GetAsync(_appId, Ct))!;

        Assert.Equal(4 + 1, result.TrimmedChanges); // the seed (bundle, channel, one import, app) and the first write; not the recent one
        Assert.Single(await writer.ReadChangesAsync(_appId, 0, Ct));
        Assert.Equal("beta", snapshot.FindDevice("device-1")?.SelfAssignedChannel);
        Assert.Equal("beta", snapshot.FindDevice("device-2")?.SelfAssignedChannel);
    }

    [Fact]
    public async Task Old_layout_device_rows_are_read_and_moved_to_their_bucket_when_written()
    {
        var writer = Store(_clock);
        await SeedAppAsync(writer, 0);
        var devices = _azurite.CreateTableServiceClient().GetTableClient(_azurite.TablePrefix + TableCatalogStore.DevicesTable);
        await devices.UpsertEntityAsync(new TableEntity(_appId, "legacy-device") { ["OverrideChannel"] = "production" }, cancellationToken: Ct);
        var store = Store(_clock);
        using var source = Source(store, _clock);

        var loaded = (await source.GetAsync(_appId, Ct))!;
        await SelfAssignAsync(store, "legacy-device", "beta");

        Assert.Equal("production", loaded.FindDevice("legacy-device")?.OverrideChannel);
        Assert.Equal(new DeviceRecord("legacy-device", "production", SelfAssignedChannel: "beta"), (await store.GetDeviceAsync(_appId, "legacy-device", Ct))?.Value);
        Assert.False((await devices.GetEntityIfExistsAsync<TableEntity>(_appId, "legacy-device", cancellationToken: Ct)).HasValue);
        Assert.Equal("beta", (await source.GetAsync(_appId, Ct))!.FindDevice("legacy-device")?.SelfAssignedChannel);
    }

    private TableCatalogStore Store(TimeProvider clock, params Azure.Core.Pipeline.HttpPipelinePolicy[] policies) =>
        new(StorageClients.Tables(_azurite, policies), _options, clock);

    private CatalogSnapshotBlobs Blobs() => new(StorageClients.Blobs(_azurite), _options);

    private CatalogCompactor Compactor(TableCatalogStore store, TimeProvider clock) =>
        new(store, Blobs(), _options, clock, NullLogger<CatalogCompactor>.Instance);

    private CachedAppSnapshotSource Source(TableCatalogStore store, TimeProvider clock, bool blobs = false, ILogger<CachedAppSnapshotSource>? logger = null) =>
        new(store, _options, clock, logger ?? NullLogger<CachedAppSnapshotSource>.Instance, snapshotBlobs: blobs ? Blobs() : null);

    private async Task RefreshAsync(CachedAppSnapshotSource source)
    {
        _clock.Advance(Interval);
        await source.GetAsync(_appId, Ct);
        await source.WhenRefreshedAsync(_appId);
    }

    private async Task SeedAppAsync(TableCatalogStore store, int devices)
    {
        await store.PutBundleAsync(_appId, Bundle("1.0.0"), WriteCondition.Any, Ct);
        await store.PutChannelAsync(_appId, new ChannelDefinition("production", 1, "1.0.0"), WriteCondition.Any, Ct);
        await store.PutDevicesAsync(_appId, Enumerable.Range(0, devices).Select(i => new DeviceRecord($"device-{i}", "production")).ToList(), Ct);
        await store.PutAppAsync(new AppDefinition(_appId, "Demo", "production"), WriteCondition.Any, Ct);
    }

    private static BundleDefinition Bundle(string version) =>
        new(version, null, $"https://x.example/{version}.zip", new string('a', 64), 0);

    /// <summary>The read-modify-write of <c>channel_self</c>: guarded by the row's ETag, retried on a conflict. Returns the conflicts met.</summary>
    private async Task<int> SelfAssignAsync(TableCatalogStore store, string deviceId, string? channel)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            var stored = await store.GetDeviceAsync(_appId, deviceId, Ct);
            var updated = (stored?.Value ?? new DeviceRecord(deviceId)) with { SelfAssignedChannel = channel };
            try
            {
                if (stored is null)
                    await store.PutDeviceAsync(_appId, updated, WriteCondition.Create, Ct);
                else if (updated.IsEmpty)
                    await store.DeleteDeviceAsync(_appId, deviceId, WriteCondition.Matching(stored.ETag), Ct);
                else
                    await store.PutDeviceAsync(_appId, updated, WriteCondition.Matching(stored.ETag), Ct);
                return conflicts;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else wrote the row since it was read: read again and reapply.
            }
        }
    }

    private async Task<List<TableEntity>> LogRowsAsync()
    {
        var changes = _azurite.CreateTableServiceClient().GetTableClient(_options.Value.TablePrefix + TableCatalogStore.ChangesTable);
        var rows = new List<TableEntity>();
        await foreach (var row in changes.QueryAsync<TableEntity>(e => e.PartitionKey == _appId, cancellationToken: Ct))
            rows.Add(row);
        return rows;
    }

    /// <summary>
    /// Holds change-log queries and change-log writes (a commit in flight), each while its switch is on, says when one
    /// is held, and counts the change-log writes sent.
    /// </summary>
    private sealed class ChangeLogGate : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private readonly Switch _queries = new();
        private readonly Switch _writes = new();
        private int _writesSent;

        public SemaphoreSlim QueryHeld => _queries.Held;

        public SemaphoreSlim WriteHeld => _writes.Held;

        /// <summary>Change-log writes sent so far (a batch transaction is one).</summary>
        public int WritesSent => Volatile.Read(ref _writesSent);

        public bool HoldQueries { set => _queries.On = value; }

        public bool HoldWrites { set => _writes.On = value; }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store only sends asynchronously.");

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            var path = message.Request.Uri.Path;
            if (path.Contains(TableCatalogStore.ChangesTable, StringComparison.Ordinal) || path.EndsWith("$batch", StringComparison.Ordinal))
            {
                if (message.Request.Method == Azure.Core.RequestMethod.Get)
                {
                    await _queries.PassAsync();
                }
                else
                {
                    Interlocked.Increment(ref _writesSent);
                    await _writes.PassAsync();
                }
            }
            await ProcessNextAsync(message, pipeline);
        }

        /// <summary>While on, requests wait (each one released on <see cref="Held"/>) until it is turned off.</summary>
        private sealed class Switch
        {
            private volatile TaskCompletionSource? _off;

            public SemaphoreSlim Held { get; } = new(0);

            public bool On
            {
                set
                {
                    if (value)
                        _off = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    else
                        Interlocked.Exchange(ref _off, null)?.TrySetResult();
                }
            }

            public async Task PassAsync()
            {
                if (_off is not { } off)
                    return;
                Held.Release();
                await off.Task;
            }
        }
    }

    /// <summary>The paths of the requests a client sent.</summary>
    private sealed class RequestPaths : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Paths.Enqueue(message.Request.Uri.Path);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Paths.Enqueue(message.Request.Uri.Path);
            return ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>While armed, a device-row write takes <paramref name="stall"/> of (fake) time: a writer stalled between position and log.</summary>
    private sealed class ClockStall(FakeTimeProvider clock, TimeSpan stall) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public bool Armed { get; set; }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Stall(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Stall(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Stall(Azure.Core.HttpMessage message)
        {
            if (Armed && message.Request.Uri.Path.Contains(TableCatalogStore.DevicesTable, StringComparison.Ordinal))
                clock.Advance(stall);
        }
    }
}
