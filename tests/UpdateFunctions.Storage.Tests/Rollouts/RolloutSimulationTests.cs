using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Storage.InMemory;
using UpdateFunctions.Storage.Tests.Support;

namespace UpdateFunctions.Storage.Tests.Rollouts;

/// <summary>
/// Multi-day rollouts driven tick by tick (every 5 minutes, as the timer) with a <see cref="FakeTimeProvider"/>, the
/// in-memory catalog and a scripted health source: the timer's decisions over time, end to end through storage.
/// </summary>
public sealed class RolloutSimulationTests : TestTimeout
{
    private const string AppId = "com.sim.app";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero); // Monday 10:00 UTC
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly InMemoryCatalogStore _store;
    private readonly ScriptedHealth _health;
    private readonly ListAudit _audit = new();
    private readonly Invalidations _snapshots = new();
    private readonly RolloutAdvancerService _advancer;

    public RolloutSimulationTests()
    {
        _store = new InMemoryCatalogStore(_clock);
        _health = new ScriptedHealth(_clock);
        _advancer = new RolloutAdvancerService(_store, _health, _audit, _snapshots, _clock);
    }

    private async Task StartAsync(IReadOnlyList<string>? segments = null, IReadOnlyDictionary<string, MaintenanceWindow>? windows = null)
    {
        await _store.PutAppAsync(new AppDefinition(AppId, "Sim", "production"), WriteCondition.Create, Ct);
        await _store.PutChannelAsync(AppId, new ChannelDefinition("production", 1, "1.0.0", ActiveRollout: "r1"), WriteCondition.Create, Ct);
        var draft = RolloutDefinition.CreateDraft("r1", "production", "1.0.0", "1.1.0", "salt", T0, segments, windows: windows);
        await _store.PutRolloutAsync(AppId, RolloutTransitions.Apply(draft, RolloutAction.Start, T0, "admin").Rollout!, WriteCondition.Create, Ct);
    }

    private async Task<RolloutDefinition> RolloutAsync() => (await _store.GetRolloutAsync(AppId, "r1", Ct))!.Value;

    /// <summary>Runs ticks until <paramref name="until"/> holds or <paramref name="max"/> ticks passed; returns (tick, percent) at each change.</summary>
    private async Task<List<(int Tick, int Percent, RolloutState State)>> RunAsync(int max, Func<RolloutDefinition, bool>? until = null)
    {
        var changes = new List<(int, int, RolloutState)>();
        var last = await RolloutAsync();
        for (var tick = 1; tick <= max; tick++)
        {
            _clock.Advance(Tick);
            await _advancer.TickAsync(Ct);
            var now = await RolloutAsync();
            if (now.Percent != last.Percent || now.State != last.State)
                changes.Add((tick, now.Percent, now.State));
            last = now;
            if (until?.Invoke(now) == true)
                break;
        }
        return changes;
    }

    [Fact]
    public async Task A_healthy_rollout_reaches_100_percent_one_step_an_hour_and_completes()
    {
        await StartAsync();

        var changes = await RunAsync(24 * 12, r => r.State == RolloutState.Completed);

        Assert.Equal(
            [(12, 5, RolloutState.Running), (24, 25, RolloutState.Running), (36, 50, RolloutState.Running),
             (48, 100, RolloutState.Running), (60, 100, RolloutState.Completed)],
            changes);
        var rollout = await RolloutAsync();
        Assert.Equal([RolloutDecisionKind.Advance, RolloutDecisionKind.Advance, RolloutDecisionKind.Advance, RolloutDecisionKind.Advance, RolloutDecisionKind.Complete],
            rollout.History.Where(h => h.Kind is RolloutDecisionKind.Advance or RolloutDecisionKind.Complete).Select(h => h.Kind));
        Assert.Equal(5, _audit.Entries.Count(e => e.KeyId == RolloutAdvancerService.TimerKeyId));
        Assert.Equal(5, _snapshots.Count);
        // The completion hands the channel over: it serves the target itself and is free for the next rollout.
        var channel = (await _store.GetChannelAsync(AppId, "production", Ct))!.Value;
        Assert.Equal(("1.1.0", null), (channel.Bundle, channel.ActiveRollout));
        Assert.Null((await _store.LoadSnapshotAsync(AppId, Ct))!.FindRolloutPlan("production"));
    }

    [Fact]
    public async Task A_segment_that_starts_failing_at_25_percent_halts_and_rolls_back_at_the_tick_its_rate_crosses_the_gate()
    {
        await StartAsync(["beta", "enterprise"]);
        // From 2h30 on, 20% of enterprise's attempts on the target fail. The 25% step started at 2h; at 2h45 it has
        // 75 attempts, 5 failed (6.7% > 5%); at 2h40, 66 attempts and 3 failures (4.5%) still pass.
        _health.FailureRate = (segment, at) => segment == "enterprise" && at >= T0.AddMinutes(150) ? 0.20 : 0;

        var changes = await RunAsync(24 * 12, r => r.State != RolloutState.Running);

        Assert.Equal([(12, 5, RolloutState.Running), (24, 25, RolloutState.Running), (33, 25, RolloutState.RolledBack)], changes);
        var halt = (await RolloutAsync()).History[^1];
        Assert.Equal((RolloutDecisionKind.Halt, RolloutReasons.GateBreached), (halt.Kind, halt.Reason));
        var enterprise = halt.Segments.Single(s => s.Segment == "enterprise");
        Assert.Equal((75L, 5L), (enterprise.TargetAttempts, enterprise.TargetFailures));
        Assert.Equal(RolloutReasons.Healthy, halt.Segments.Single(s => s.Segment == "beta").Outcome);
        Assert.Contains(_audit.Entries, e => e.Action == "rollout.halt");
        // Released on the baseline; the rolled-back rollout sends everyone there.
        var channel = (await _store.GetChannelAsync(AppId, "production", Ct))!.Value;
        Assert.Equal(("1.0.0", null), (channel.Bundle, channel.ActiveRollout));
        Assert.Equal(RolloutState.RolledBack, (await _store.LoadSnapshotAsync(AppId, Ct))!.FindRolloutPlan("production")!.Rollout.State);
    }

    [Fact]
    public async Task Outside_the_segments_maintenance_window_the_rollout_holds_until_saturday_night_in_paris()
    {
        var window = new MaintenanceWindow([DayOfWeek.Saturday], new TimeOnly(1, 0), new TimeOnly(5, 0), "Europe/Paris");
        await StartAsync(["enterprise"], new Dictionary<string, MaintenanceWindow> { ["enterprise"] = window });

        var changes = await RunAsync(7 * 24 * 12);

        // Saturday 7 March 01:00 in Paris is 00:00 UTC: 110 hours after Monday 10:00 UTC, tick 1320.
        Assert.Equal(
            [(1320, 5, RolloutState.Running), (1332, 25, RolloutState.Running), (1344, 50, RolloutState.Running), (1356, 100, RolloutState.Running)],
            changes.Take(4));
        // 05:00 in Paris closes the window: completion waits for the next Saturday (beyond the 7 days simulated).
        Assert.Equal(4, changes.Count);
        var hold = (await RolloutAsync()).History[^1];
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.OutsideWindow), (hold.Kind, hold.Reason));
    }

    [Fact]
    public async Task A_manual_pause_during_a_tick_wins_and_the_tick_is_reported_stale()
    {
        await StartAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        _health.DuringRead = async () =>
        {
            _health.DuringRead = null;
            var current = (await _store.GetRolloutAsync(AppId, "r1", Ct))!;
            var paused = RolloutTransitions.Apply(current.Value, RolloutAction.Pause, _clock.GetUtcNow(), "admin").Rollout!;
            await _store.PutRolloutAsync(AppId, paused, WriteCondition.Matching(current.ETag), Ct);
        };

        var outcome = Assert.Single(await _advancer.TickAsync(Ct));

        Assert.Equal((null, RolloutReasons.Stale), (outcome.Kind, outcome.Reason));
        var rollout = await RolloutAsync();
        Assert.Equal((RolloutState.Paused, 1), (rollout.State, rollout.Percent));
        // Paused: the next tick only looks for a breached gate, holds, and writes nothing.
        var etag = (await _store.GetRolloutAsync(AppId, "r1", Ct))!.ETag;
        var next = Assert.Single(await _advancer.TickAsync(Ct));
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.NotRunning), (next.Kind, next.Reason));
        Assert.Equal(etag, (await _store.GetRolloutAsync(AppId, "r1", Ct))!.ETag);
        Assert.Empty(_audit.Entries);
    }

    /// <summary>Each segment makes 100 update attempts an hour on the target and on the baseline; a share of them fail.</summary>
    private sealed class ScriptedHealth(TimeProvider clock) : IRolloutHealthSource
    {
        public Func<string, DateTimeOffset, double> FailureRate { get; set; } = (_, _) => 0;
        public Func<Task>? DuringRead { get; set; }

        public async Task<SegmentHealth> GetHealthAsync(string appId, string channel, string bundleVersion, string segment, DateTimeOffset since, CancellationToken cancellationToken)
        {
            if (DuringRead is { } hook)
                await hook();
            var now = clock.GetUtcNow();
            var attempts = (long)((now - since).TotalHours * 100);
            double failures = 0;
            if (bundleVersion == "1.1.0")
            {
                for (var at = since; at < now; at += TimeSpan.FromMinutes(1))
                    failures += FailureRate(segment, at) * 100 / 60;
            }
            var failed = (long)Math.Round(failures, 6);
            return new SegmentHealth(channel, bundleVersion, segment, attempts, failed, attempts - failed, attempts);
        }
    }

    private sealed class ListAudit : IAuditLog
    {
        public List<AuditEntry> Entries { get; } = [];
        public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            Entries.Add(entry);
            return Task.CompletedTask;
        }
        public Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>(Entries);
        public Task<int> DeleteBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
            Task.FromResult(Entries.RemoveAll(e => e.At < before));
    }

    private sealed class Invalidations : IAppSnapshotSource
    {
        public int Count { get; private set; }
        public void Invalidate(string appId) => Count++;
        public ValueTask<AppSnapshot?> GetAsync(string appId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
