using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Storage.Tests.Support;

namespace UpdateFunctions.Storage.Tests;

/// <summary>
/// What every <see cref="ICatalogStore"/> must do, whatever holds the rows. Each adapter derives a test class that
/// supplies the store; the tests never look behind the interface.
/// </summary>
public abstract class CatalogStoreContract : TestTimeout
{
    protected static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public enum Row
    {
        App,
        Channel,
        Bundle,
        Device,
    }

    protected CatalogStoreContract()
    {
        // Every test works in apps of its own, so tests never see each other's rows.
        AppId = "com.test.a" + Guid.NewGuid().ToString("N")[..12];
    }

    protected FakeTimeProvider Clock { get; } = new(Start);

    protected string AppId { get; }

    protected abstract ICatalogStore Store { get; }

    [Fact]
    public async Task App_round_trips_with_the_etag_its_write_returned()
    {
        var app = new AppDefinition(AppId, "Demo app", "production",
            "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----\n", "MIIBCgKCAQEA");

        var etag = await Store.PutAppAsync(app, WriteCondition.Create, Ct);
        var read = await Store.GetAppAsync(AppId, Ct);

        Assert.NotNull(read);
        Assert.Equal(app, read.Value);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task App_without_optional_fields_round_trips()
    {
        var app = new AppDefinition(AppId, "Bare", DefaultChannel: null);

        await Store.PutAppAsync(app, WriteCondition.Create, Ct);

        Assert.Equal(app, (await Store.GetAppAsync(AppId, Ct))?.Value);
    }

    [Fact]
    public async Task Channel_round_trips_with_every_switch_flipped()
    {
        var channel = new ChannelDefinition("beta", 7, "1.2.3-rc.1+build.5",
            Ios: false, Android: false, Electron: false, AllowDeviceSelfSet: true,
            AllowEmulator: false, AllowDevice: false, AllowDev: false, AllowProd: false,
            DisableAutoUpdate: AutoUpdatePolicy.VersionNumber, DisableAutoUpdateUnderNative: false, PartialUpdates: true);

        var etag = await Store.PutChannelAsync(AppId, channel, WriteCondition.Create, Ct);
        var read = await Store.GetChannelAsync(AppId, "beta", Ct);

        Assert.NotNull(read);
        Assert.Equal(channel, read.Value);
        Assert.Equal(etag, read.ETag);
    }

    [Theory]
    [InlineData(AutoUpdatePolicy.None)]
    [InlineData(AutoUpdatePolicy.Major)]
    [InlineData(AutoUpdatePolicy.Minor)]
    [InlineData(AutoUpdatePolicy.Patch)]
    [InlineData(AutoUpdatePolicy.VersionNumber)]
    public async Task Channel_with_default_switches_round_trips_each_policy(AutoUpdatePolicy policy)
    {
        var channel = new ChannelDefinition("production", 1, Bundle: null, DisableAutoUpdate: policy);

        await Store.PutChannelAsync(AppId, channel, WriteCondition.Any, Ct);

        Assert.Equal(channel, (await Store.GetChannelAsync(AppId, "production", Ct))?.Value);
    }

    [Fact]
    public async Task Stored_bundle_round_trips_with_every_field()
    {
        var sha = new string('a', 64);
        var bundle = new BundleDefinition("1.0.1", $"{AppId}/{sha}.zip", ExternalUrl: null, sha, 123_456_789_012,
            "aXY=:a2V5", "MIIBCgKCAQEA", "1.0.0", "https://example.com/notes", "first release",
            new DateTimeOffset(2025, 5, 4, 3, 2, 1, TimeSpan.Zero),
            new BundleManifestInfo($"{AppId}/manifests/{sha}.json", 1234, 9_876_543_210, 1_234_567_890), "not_a_zip");

        var etag = await Store.PutBundleAsync(AppId, bundle, WriteCondition.Create, Ct);
        var read = await Store.GetBundleAsync(AppId, "1.0.1", Ct);

        Assert.NotNull(read);
        Assert.Equal(bundle, read.Value);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task External_bundle_round_trips_with_an_empty_session_key()
    {
        var bundle = new BundleDefinition("2.0.0", BlobPath: null, "https://cdn.example/x.zip", new string('b', 64), 0);

        await Store.PutBundleAsync(AppId, bundle, WriteCondition.Create, Ct);

        var read = (await Store.GetBundleAsync(AppId, "2.0.0", Ct))?.Value;
        Assert.Equal(bundle, read);
        Assert.Equal("", read?.SessionKey);
    }

    [Fact]
    public async Task Device_round_trips_with_override_pin_and_self_assignment()
    {
        var device = new DeviceRecord("0c0ffee0-0000-4000-8000-0000000000b1", "beta", "1.0.1", "alpha");

        var etag = await Store.PutDeviceAsync(AppId, device, WriteCondition.Create, Ct);
        var read = await Store.GetDeviceAsync(AppId, device.DeviceId, Ct);

        Assert.NotNull(read);
        Assert.Equal(device, read.Value);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task Device_with_only_a_self_assigned_channel_round_trips()
    {
        var device = new DeviceRecord("0c0ffee0-0000-4000-8000-0000000000c1", SelfAssignedChannel: "beta");

        await Store.PutDeviceAsync(AppId, device, WriteCondition.Any, Ct);

        Assert.Equal(device, (await Store.GetDeviceAsync(AppId, device.DeviceId, Ct))?.Value);
    }

    [Fact]
    public async Task Rows_that_were_never_written_read_as_null()
    {
        Assert.Null(await Store.GetAppAsync(AppId, Ct));
        Assert.Null(await Store.GetChannelAsync(AppId, "production", Ct));
        Assert.Null(await Store.GetBundleAsync(AppId, "1.0.0", Ct));
        Assert.Null(await Store.GetDeviceAsync(AppId, "device-1", Ct));
    }

    [Theory]
    [InlineData(Row.App)]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Create_on_an_existing_row_is_a_conflict_and_keeps_the_row(Row row)
    {
        var etag = await PutAsync(row, 1, WriteCondition.Create);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => PutAsync(row, 2, WriteCondition.Create));

        Assert.Equal((Variant(row, 1), etag), await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.App)]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Matching_with_the_current_etag_replaces_the_row_and_returns_a_new_etag(Row row)
    {
        var first = await PutAsync(row, 1, WriteCondition.Create);

        var second = await PutAsync(row, 2, WriteCondition.Matching(first));

        Assert.NotEqual(first, second);
        Assert.Equal((Variant(row, 2), second), await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.App)]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Matching_with_a_stale_etag_is_a_conflict_and_keeps_the_newer_row(Row row)
    {
        var stale = await PutAsync(row, 1, WriteCondition.Create);
        var current = await PutAsync(row, 2, WriteCondition.Matching(stale)); // someone else wrote since we read

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => PutAsync(row, 3, WriteCondition.Matching(stale)));

        Assert.Equal((Variant(row, 2), current), await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.App)]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Matching_on_a_row_that_was_never_written_is_a_conflict(Row row)
    {
        // A real ETag, of another row.
        var etag = await Store.PutDeviceAsync(AppId, new DeviceRecord("someone-else"), WriteCondition.Create, Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => PutAsync(row, 1, WriteCondition.Matching(etag)));

        Assert.Null(await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Matching_on_a_row_deleted_since_it_was_read_is_a_conflict(Row row)
    {
        var etag = await PutAsync(row, 1, WriteCondition.Create);
        await DeleteAsync(row, WriteCondition.Any);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => PutAsync(row, 2, WriteCondition.Matching(etag)));

        Assert.Null(await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.App)]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Any_creates_a_missing_row_and_replaces_an_existing_one(Row row)
    {
        var created = await PutAsync(row, 1, WriteCondition.Any);
        Assert.Equal((Variant(row, 1), created), await GetAsync(row));

        var replaced = await PutAsync(row, 2, WriteCondition.Any);

        Assert.NotEqual(created, replaced);
        Assert.Equal((Variant(row, 2), replaced), await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Delete_with_the_current_etag_removes_the_row(Row row)
    {
        var etag = await PutAsync(row, 1, WriteCondition.Create);

        await DeleteAsync(row, WriteCondition.Matching(etag));

        Assert.Null(await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Delete_with_a_stale_etag_is_a_conflict_and_keeps_the_row(Row row)
    {
        var stale = await PutAsync(row, 1, WriteCondition.Create);
        var current = await PutAsync(row, 2, WriteCondition.Any);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DeleteAsync(row, WriteCondition.Matching(stale)));

        Assert.Equal((Variant(row, 2), current), await GetAsync(row));
    }

    [Theory]
    [InlineData(Row.Channel)]
    [InlineData(Row.Bundle)]
    [InlineData(Row.Device)]
    public async Task Delete_of_a_missing_row_succeeds(Row row)
    {
        await DeleteAsync(row, WriteCondition.Any);

        var etag = await PutAsync(row, 1, WriteCondition.Create);
        await DeleteAsync(row, WriteCondition.Any);
        await DeleteAsync(row, WriteCondition.Any);
        await DeleteAsync(row, WriteCondition.Matching(etag));

        Assert.Null(await GetAsync(row));
    }

    [Fact]
    public async Task Delete_does_not_take_the_Create_condition()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => DeleteAsync(Row.Channel, WriteCondition.Create));
    }

    [Fact]
    public async Task LoadSnapshot_of_an_unknown_app_is_null()
    {
        Assert.Null(await Store.LoadSnapshotAsync(AppId, Ct));
    }

    [Fact]
    public async Task LoadSnapshot_is_null_while_only_rows_under_the_app_exist()
    {
        await PutAsync(Row.Channel, 1, WriteCondition.Create);

        Assert.Null(await Store.LoadSnapshotAsync(AppId, Ct));
    }

    [Fact]
    public async Task LoadSnapshot_holds_the_app_with_all_its_channels_bundles_and_devices_and_nothing_else()
    {
        var app = new AppDefinition(AppId, "Demo", "production");
        var production = new ChannelDefinition("production", 1, "1.0.1");
        var beta = new ChannelDefinition("beta", 2, "1.1.0", AllowDeviceSelfSet: true, DisableAutoUpdate: AutoUpdatePolicy.None);
        var stable = new BundleDefinition("1.0.1", $"{AppId}/{new string('1', 64)}.zip", null, new string('1', 64), 10);
        var next = new BundleDefinition("1.1.0", $"{AppId}/{new string('2', 64)}.zip", null, new string('2', 64), 20, MinUpdateVersion: "1.0.0");
        var tester = new DeviceRecord("device-b1", OverrideChannel: "beta");
        var pinned = new DeviceRecord("device-a1", PinnedBundle: "1.0.1");
        await Store.PutAppAsync(app, WriteCondition.Create, Ct);
        await Store.PutChannelAsync(AppId, production, WriteCondition.Create, Ct);
        await Store.PutChannelAsync(AppId, beta, WriteCondition.Create, Ct);
        await Store.PutBundleAsync(AppId, stable, WriteCondition.Create, Ct);
        await Store.PutBundleAsync(AppId, next, WriteCondition.Create, Ct);
        await Store.PutDeviceAsync(AppId, tester, WriteCondition.Create, Ct);
        await Store.PutDeviceAsync(AppId, pinned, WriteCondition.Create, Ct);
        // A neighbour whose id starts with ours, and one that sorts right after it: neither may leak in.
        foreach (var neighbour in new[] { AppId + ".other", AppId + "0" })
        {
            await Store.PutAppAsync(new AppDefinition(neighbour, "Other", "production"), WriteCondition.Create, Ct);
            await Store.PutChannelAsync(neighbour, new ChannelDefinition("alpha", 9, "9.9.9"), WriteCondition.Create, Ct);
            await Store.PutBundleAsync(neighbour, new BundleDefinition("9.9.9", null, "https://x.example/z.zip", new string('9', 64), 0), WriteCondition.Create, Ct);
            await Store.PutDeviceAsync(neighbour, new DeviceRecord("device-x"), WriteCondition.Create, Ct);
        }

        Clock.Advance(TimeSpan.FromMinutes(3));
        var snapshot = await Store.LoadSnapshotAsync(AppId, Ct);

        Assert.NotNull(snapshot);
        Assert.Equal(app, snapshot.App);
        Assert.Equal(Start.AddMinutes(3), snapshot.LoadedAt);
        Assert.Equal(new[] { beta, production }, snapshot.Channels.Values.OrderBy(c => c.Name, StringComparer.Ordinal));
        Assert.Equal(new[] { stable, next }, snapshot.Bundles.Values.OrderBy(b => b.Version, StringComparer.Ordinal));
        Assert.Equal(new[] { pinned, tester }, snapshot.Devices.Values.OrderBy(d => d.DeviceId, StringComparer.Ordinal));
        Assert.Same(snapshot.FindChannel("production"), snapshot.Channels["production"]);
        Assert.True(snapshot.IsPublic(production));
    }

    [Fact]
    public async Task ListApps_returns_every_app()
    {
        var first = new AppDefinition(AppId, "First", "production");
        var second = new AppDefinition(AppId + ".second", "Second", null);
        await Store.PutAppAsync(first, WriteCondition.Create, Ct);
        await Store.PutAppAsync(second, WriteCondition.Create, Ct);

        var apps = await Store.ListAppsAsync(Ct);

        Assert.Contains(first, apps);
        Assert.Contains(second, apps);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\nb")]
    public async Task Keys_Table_Storage_cannot_hold_are_rejected(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAppAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.LoadSnapshotAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetChannelAsync(AppId, key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutChannelAsync(AppId, new ChannelDefinition(key, 1, null), WriteCondition.Any, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutBundleAsync(key, new BundleDefinition("1.0.0", null, "https://x.example/z.zip", new string('0', 64), 0), WriteCondition.Any, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutDeviceAsync(AppId, new DeviceRecord(key), WriteCondition.Any, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteDeviceAsync(AppId, key, WriteCondition.Any, Ct));
    }

    /// <summary>Distinct values of one row (same key) per variant number.</summary>
    private object Variant(Row row, int variant) => row switch
    {
        Row.App => new AppDefinition(AppId, $"Name {variant}", "production"),
        Row.Channel => new ChannelDefinition("beta", variant, $"1.0.{variant}"),
        Row.Bundle => new BundleDefinition("1.0.0", $"{AppId}/{new string((char)('0' + variant), 64)}.zip", null,
            new string((char)('0' + variant), 64), variant * 100L),
        Row.Device => new DeviceRecord("device-1", OverrideChannel: $"channel-{variant}"),
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    private Task<string> PutAsync(Row row, int variant, WriteCondition condition) => Variant(row, variant) switch
    {
        AppDefinition app => Store.PutAppAsync(app, condition, Ct),
        ChannelDefinition channel => Store.PutChannelAsync(AppId, channel, condition, Ct),
        BundleDefinition bundle => Store.PutBundleAsync(AppId, bundle, condition, Ct),
        DeviceRecord device => Store.PutDeviceAsync(AppId, device, condition, Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    private async Task<(object Value, string ETag)?> GetAsync(Row row) => row switch
    {
        Row.App => await Store.GetAppAsync(AppId, Ct) is { } a ? (a.Value, a.ETag) : null,
        Row.Channel => await Store.GetChannelAsync(AppId, "beta", Ct) is { } c ? (c.Value, c.ETag) : null,
        Row.Bundle => await Store.GetBundleAsync(AppId, "1.0.0", Ct) is { } b ? (b.Value, b.ETag) : null,
        Row.Device => await Store.GetDeviceAsync(AppId, "device-1", Ct) is { } d ? (d.Value, d.ETag) : null,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    private Task DeleteAsync(Row row, WriteCondition condition) => row switch
    {
        Row.Channel => Store.DeleteChannelAsync(AppId, "beta", condition, Ct),
        Row.Bundle => Store.DeleteBundleAsync(AppId, "1.0.0", condition, Ct),
        Row.Device => Store.DeleteDeviceAsync(AppId, "device-1", condition, Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(row), "The contract has no delete for apps."),
    };

    private static SegmentDefinition Segment(string name, string prefix) =>
        SegmentJson.TryParse($$"""{"name":"{{name}}","match":"any","conditions":[{"customIdPrefix":"{{prefix}}"},{"platform":["ios"]}]}""", out var segment, out var error)
            ? segment
            : throw new InvalidOperationException(error);

    private static RolloutDefinition Rollout(string id, DateTimeOffset createdAt) =>
        RolloutDefinition.CreateDraft(id, "production", "1.0.0", "1.1.0", "salt-" + id, createdAt, ["enterprise"],
            windows: new Dictionary<string, MaintenanceWindow>
            {
                ["enterprise"] = new([DayOfWeek.Saturday], new TimeOnly(1, 0), new TimeOnly(5, 0), "Europe/Paris"),
            });

    [Fact]
    public async Task Rollout_round_trips_through_its_json_column_and_a_stale_etag_conflicts()
    {
        var created = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var draft = Rollout("r1", created);
        var first = await Store.PutRolloutAsync(AppId, draft, WriteCondition.Create, Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutRolloutAsync(AppId, draft, WriteCondition.Create, Ct));
        var started = RolloutTransitions.Apply(draft, RolloutAction.Start, created, "key").Rollout!;
        var second = await Store.PutRolloutAsync(AppId, started, WriteCondition.Matching(first), Ct);

        var read = await Store.GetRolloutAsync(AppId, "r1", Ct);

        Assert.NotNull(read);
        Assert.Equal(second, read.ETag);
        Assert.Equal(RolloutJson.Write(started), RolloutJson.Write(read.Value));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.PutRolloutAsync(AppId, started with { State = RolloutState.Paused }, WriteCondition.Matching(first), Ct));
        Assert.Null(await Store.GetRolloutAsync(AppId, "r2", Ct));
    }

    [Fact]
    public async Task A_rollout_with_eight_segments_and_a_full_history_round_trips_and_shrinks_again()
    {
        var created = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var segments = Enumerable.Range(1, 8).Select(i => $"segment-with-a-long-name-{i}").ToList();
        var rollout = RolloutTransitions.Apply(
            RolloutDefinition.CreateDraft("big", "production", "1.0.0", "1.1.0", "salt", created, segments), RolloutAction.Start, created, "key").Rollout!;
        var verdicts = segments.Select(s => new SegmentVerdict(s, 123456, 1234, 0.01, 234567, 2345, 0.01, 0.123456789, RolloutReasons.InsufficientSamples)).ToList();
        for (var i = 0; i < RolloutDefinition.MaxHistory; i++)
        {
            rollout = rollout.Record(new RolloutDecisionRecord(created.AddMinutes(i), RolloutDecisionKind.Advance, RolloutReasons.Healthy,
                $"healthy at {i}%: advancing, with a detail long enough to be realistic about what people read", i, i + 1, RolloutState.Running, verdicts, "timer"));
        }
        var json = RolloutJson.Write(rollout);

        var etag = await Store.PutRolloutAsync(AppId, rollout, WriteCondition.Create, Ct);
        var read = await Store.GetRolloutAsync(AppId, "big", Ct);
        var shrunk = rollout with { History = [] };
        await Store.PutRolloutAsync(AppId, shrunk, WriteCondition.Matching(etag), Ct);
        var readShrunk = await Store.GetRolloutAsync(AppId, "big", Ct);

        Assert.True(json.Length > 32 * 1024, $"the JSON is {json.Length} characters: more than one table property holds");
        Assert.Equal(json, RolloutJson.Write(read!.Value));
        Assert.Equal(RolloutJson.Write(shrunk), RolloutJson.Write(readShrunk!.Value));
    }

    [Fact]
    public async Task A_rollout_is_deleted_only_with_a_matching_etag()
    {
        var etag = await Store.PutRolloutAsync(AppId, Rollout("gone", DateTimeOffset.UnixEpoch), WriteCondition.Create, Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteRolloutAsync(AppId, "gone", WriteCondition.Matching("W/\"stale\""), Ct));
        await Store.DeleteRolloutAsync(AppId, "gone", WriteCondition.Matching(etag), Ct);

        Assert.Null(await Store.GetRolloutAsync(AppId, "gone", Ct));
    }

    [Fact]
    public async Task A_channels_active_rollout_pointer_round_trips()
    {
        await Store.PutChannelAsync(AppId, new ChannelDefinition("production", 1, "1.0.0", ActiveRollout: "r-1"), WriteCondition.Create, Ct);

        var read = await Store.GetChannelAsync(AppId, "production", Ct);

        Assert.Equal("r-1", read!.Value.ActiveRollout);
    }

    [Fact]
    public async Task Rollouts_are_listed_oldest_first_and_loaded_into_the_snapshot()
    {
        var created = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await Store.PutAppAsync(new AppDefinition(AppId, "Demo", null), WriteCondition.Create, Ct);
        await Store.PutRolloutAsync(AppId, Rollout("b-new", created.AddHours(1)), WriteCondition.Create, Ct);
        var started = RolloutTransitions.Apply(Rollout("a-old", created), RolloutAction.Start, created, "key").Rollout!;
        await Store.PutRolloutAsync(AppId, started, WriteCondition.Create, Ct);

        var listed = await Store.ListRolloutsAsync(AppId, Ct);
        var snapshot = await Store.LoadSnapshotAsync(AppId, Ct);

        Assert.Equal(["a-old", "b-new"], listed.Select(r => r.Value.Id));
        Assert.All(listed, r => Assert.False(string.IsNullOrEmpty(r.ETag)));
        Assert.Equal(["a-old", "b-new"], snapshot!.Rollouts.Select(r => r.Id));
        Assert.Equal("a-old", snapshot.FindRolloutPlan("production")!.Rollout.Id);
    }

    [Fact]
    public async Task Segment_round_trips_and_a_stale_etag_conflicts()
    {
        var first = await Store.PutSegmentAsync(AppId, Segment("enterprise", "ent-"), WriteCondition.Create, Ct);
        await Store.PutSegmentAsync(AppId, Segment("enterprise", "corp-"), WriteCondition.Matching(first), Ct);

        var read = await Store.GetSegmentAsync(AppId, "enterprise", Ct);

        Assert.NotNull(read);
        Assert.Equal(SegmentJson.Write(Segment("enterprise", "corp-")), SegmentJson.Write(read.Value));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.PutSegmentAsync(AppId, Segment("enterprise", "x-"), WriteCondition.Matching(first), Ct));
        await Store.DeleteSegmentAsync(AppId, "enterprise", WriteCondition.Matching(read.ETag), Ct);
        Assert.Null(await Store.GetSegmentAsync(AppId, "enterprise", Ct));
    }

    [Fact]
    public async Task LoadSnapshot_holds_the_apps_segments_in_name_order()
    {
        await Store.PutAppAsync(new AppDefinition(AppId, "Demo", null), WriteCondition.Create, Ct);
        await Store.PutSegmentAsync(AppId, Segment("testers", "t-"), WriteCondition.Create, Ct);
        await Store.PutSegmentAsync(AppId, Segment("enterprise", "ent-"), WriteCondition.Create, Ct);

        var snapshot = await Store.LoadSnapshotAsync(AppId, Ct);

        Assert.Equal(["enterprise", "testers"], snapshot!.Segments.Select(s => s.Name));
    }
}
