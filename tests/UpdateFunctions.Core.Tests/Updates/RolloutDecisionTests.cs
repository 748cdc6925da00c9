using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Updates;
using static UpdateFunctions.Core.Tests.Updates.SnapshotBuilder;

namespace UpdateFunctions.Core.Tests.Updates;

/// <summary>docs/protocol.md, decision step 3 with a rollout: which devices get the target and which the baseline, at each step.</summary>
public sealed class RolloutDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] DeviceIds = [.. Enumerable.Range(0, 2000).Select(i => $"device-{i}")];
    private readonly UpdateDecider _decider = new();

    private static RolloutDefinition Rollout(RolloutState state, int percent, IReadOnlyList<string>? segments = null) =>
        RolloutDefinition.CreateDraft("r1", "production", "1.0.0", "1.1.0", "salt-1", T0, segments) with
        {
            State = state, Percent = percent, StartedAt = T0,
        };

    private static SnapshotBuilder App(RolloutDefinition? rollout) =>
        new SnapshotBuilder().Channel("production", "1.0.0").Bundle("1.0.0").Bundle("1.1.0")
            .Segment(new SegmentDefinition("enterprise", SegmentMatch.All, [new CustomIdPrefixCondition("ent-")]))
            .Rollout(rollout ?? Rollout(RolloutState.Draft, 0) with { StartedAt = null });

    private string? Offered(AppSnapshot app, string deviceId, string version = "0.9.0", string? customId = null) =>
        _decider.Decide(app, DeviceInfo(versionName: version, deviceId: deviceId) with { CustomId = customId }) is UpdateOffer offer
            ? offer.Bundle.Version
            : null;

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(100)]
    public void At_each_step_exactly_the_devices_in_the_bucket_get_the_target(int percent)
    {
        var app = App(Rollout(RolloutState.Running, percent)).Build();
        var onTarget = 0;
        foreach (var id in DeviceIds)
        {
            var expected = RolloutBucket.Of("salt-1", id) < percent * 100 ? "1.1.0" : "1.0.0";
            Assert.Equal(expected, Offered(app, id));
            onTarget += expected == "1.1.0" ? 1 : 0;
        }
        Assert.InRange(onTarget / (double)DeviceIds.Length, percent / 100.0 - 0.03, percent / 100.0 + 0.03);
    }

    [Fact]
    public void A_paused_rollout_keeps_serving_its_percentage()
    {
        var app = App(Rollout(RolloutState.Paused, 50)).Build();
        var inside = DeviceIds.First(id => RolloutBucket.Of("salt-1", id) < 5000);
        Assert.Equal("1.1.0", Offered(app, inside));
    }

    [Fact]
    public void A_draft_changes_nothing_the_channel_bundle_is_served()
    {
        var app = App(null).Build();
        Assert.All(DeviceIds.Take(100), id => Assert.Equal("1.0.0", Offered(app, id)));
    }

    [Fact]
    public void Devices_outside_the_rollouts_segments_stay_on_the_baseline_even_at_100_percent()
    {
        var app = App(Rollout(RolloutState.Running, 100, ["enterprise"])).Build();
        Assert.Equal("1.1.0", Offered(app, "device-1", customId: "ent-acme"));
        Assert.Equal("1.0.0", Offered(app, "device-1", customId: "consumer"));
        Assert.Equal("1.0.0", Offered(app, "device-1"));
    }

    [Fact]
    public void A_completed_rollout_gives_the_whole_cohort_the_target()
    {
        var app = App(Rollout(RolloutState.Completed, 100)).Build();
        Assert.All(DeviceIds.Take(200), id => Assert.Equal("1.1.0", Offered(app, id)));
    }

    [Theory]
    [InlineData(RolloutState.Halted)]
    [InlineData(RolloutState.RolledBack)]
    public void A_halted_or_rolled_back_rollout_sends_devices_on_the_target_back_to_the_baseline(RolloutState state)
    {
        var app = App(Rollout(state, 50)).Build();
        Assert.All(DeviceIds.Take(200), id => Assert.Equal("1.0.0", Offered(app, id, version: "1.1.0")));
        // Devices that already run the baseline are untouched.
        var refusal = Assert.IsType<UpdateRefusal>(_decider.Decide(app, DeviceInfo(versionName: "1.0.0")));
        Assert.Equal(UpdateErrors.NoNewVersionAvailable, refusal.Code);
    }

    [Fact]
    public void An_admin_pin_beats_the_rollout()
    {
        var app = App(Rollout(RolloutState.Running, 100)).Device(new DeviceRecord("device-1", PinnedBundle: "1.0.0")).Build();
        Assert.Equal(UpdateErrors.NoNewVersionAvailable, Assert.IsType<UpdateRefusal>(_decider.Decide(app, DeviceInfo(versionName: "1.0.0"))).Code);
    }

    [Fact]
    public void The_rollout_started_last_governs_the_channel()
    {
        var old = Rollout(RolloutState.RolledBack, 5) with { Id = "r0", StartedAt = T0.AddDays(-1) };
        var app = App(Rollout(RolloutState.Running, 100)).Rollout(old).Build();
        Assert.Equal("1.1.0", Offered(app, "device-1"));
    }

    [Fact]
    public void Once_the_channel_moved_on_an_ended_rollout_no_longer_governs_it()
    {
        // A completion for everyone settles the channel on the target; an admin sets 1.2.0 after a halt.
        var completed = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.0.0").Bundle("1.1.0")
            .Rollout(Rollout(RolloutState.Completed, 100)).Build();
        var halted = new SnapshotBuilder().Channel("production", "1.2.0").Bundle("1.0.0").Bundle("1.1.0").Bundle("1.2.0")
            .Rollout(Rollout(RolloutState.Halted, 25)).Build();

        Assert.Null(completed.FindRolloutPlan("production"));
        Assert.Equal("1.1.0", Offered(completed, "device-1"));
        Assert.Null(halted.FindRolloutPlan("production"));
        Assert.All(DeviceIds.Take(50), id => Assert.Equal("1.2.0", Offered(halted, id, version: "1.1.0")));
    }

    [Fact]
    public void A_segment_limited_completion_keeps_governing_while_the_channel_serves_the_baseline()
    {
        var app = App(Rollout(RolloutState.Completed, 100, ["enterprise"])).Build();

        Assert.Equal("1.1.0", Offered(app, "device-1", customId: "ent-acme"));
        Assert.Equal("1.0.0", Offered(app, "device-1", customId: "consumer"));
    }

    [Fact]
    public void A_running_rollout_governs_even_if_the_channel_row_says_otherwise()
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.0.0").Bundle("1.1.0")
            .Rollout(Rollout(RolloutState.Running, 1)).Build();
        var outside = DeviceIds.First(id => RolloutBucket.Of("salt-1", id) >= 100);

        Assert.Equal("1.0.0", Offered(app, outside));
    }

    [Fact]
    public void Another_channel_is_not_affected()
    {
        var app = App(Rollout(RolloutState.Running, 100)).Channel("beta", "1.0.0", c => c with { AllowDeviceSelfSet = true }).Build();
        var decision = _decider.Decide(app, DeviceInfo(versionName: "0.9.0", defaultChannel: "beta"));
        Assert.Equal("1.0.0", Assert.IsType<UpdateOffer>(decision).Bundle.Version);
    }
}
