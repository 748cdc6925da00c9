using UpdateFunctions.Core.Rollouts;
using static UpdateFunctions.Core.Tests.Rollouts.RolloutTestData;

namespace UpdateFunctions.Core.Tests.Rollouts;

public sealed class RolloutAdvancerTests
{
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Fact]
    public void A_healthy_step_that_held_an_hour_advances_with_its_numbers()
    {
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 200, 2, 200, 2)], Later);
        Assert.Equal((RolloutDecisionKind.Advance, RolloutReasons.Healthy, 1, 5), (verdict.Kind, verdict.Reason, verdict.FromPercent, verdict.ToPercent));
        var segment = Assert.Single(verdict.Segments);
        Assert.Equal((200L, 2L, 0.01), (segment.TargetAttempts, segment.TargetFailures, segment.TargetFailureRate));
    }

    [Fact]
    public void A_young_step_holds()
    {
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 200, 0)], T0.AddMinutes(59));
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.StepTooYoung), (verdict.Kind, verdict.Reason));
    }

    [Fact]
    public void Too_few_samples_hold()
    {
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 49, 0)], Later);
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.InsufficientSamples), (verdict.Kind, verdict.Reason));
    }

    [Fact]
    public void A_breached_gate_with_enough_samples_halts_even_in_a_young_step()
    {
        var verdict = RolloutAdvancer.Decide(Running(["beta", "enterprise"]), [Health("beta", 100, 1), Health("enterprise", 50, 3)], T0.AddMinutes(5));
        Assert.Equal((RolloutDecisionKind.Halt, RolloutReasons.GateBreached), (verdict.Kind, verdict.Reason));
        Assert.Contains("enterprise", verdict.Detail, StringComparison.Ordinal);
        var after = RolloutAdvancer.Apply(Running(["beta", "enterprise"]), verdict, T0.AddMinutes(5));
        Assert.Equal(RolloutState.RolledBack, after.State);
    }

    [Fact]
    public void A_high_failure_rate_on_too_few_samples_does_not_halt()
    {
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 10, 5)], Later);
        Assert.Equal(RolloutReasons.InsufficientSamples, verdict.Reason);
    }

    [Fact]
    public void A_target_significantly_worse_than_the_baseline_holds_even_under_the_gate()
    {
        // 4.5% against 0.5% on 1000 attempts each: z ≈ 5.7.
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 1000, 45, 1000, 5)], Later);
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.WorseThanBaseline), (verdict.Kind, verdict.Reason));
        Assert.True(verdict.Segments[0].ZScore > RolloutAdvancer.CriticalZ);
    }

    [Fact]
    public void A_difference_that_is_not_significant_advances()
    {
        // 3% against 2% on 100 attempts each: z ≈ 0.45.
        var verdict = RolloutAdvancer.Decide(Running(), [Health("all", 100, 3, 100, 2)], Later);
        Assert.Equal(RolloutDecisionKind.Advance, verdict.Kind);
    }

    [Fact]
    public void The_z_statistic_matches_the_textbook_formula()
    {
        // p1 = .10, p2 = .05, n = 200 each: pooled .075, se = sqrt(.075*.925*(2/200)) = .026339, z = 1.8983.
        Assert.Equal(1.8983, RolloutAdvancer.ZScore(20, 200, 10, 200), 4);
        Assert.Equal(0, RolloutAdvancer.ZScore(0, 100, 0, 100));
        Assert.True(RolloutAdvancer.ZScore(5, 100, 20, 100) < 0);
    }

    [Fact]
    public void Outside_a_segments_maintenance_window_the_rollout_holds_and_inside_it_advances()
    {
        var window = new MaintenanceWindow([DayOfWeek.Saturday], new TimeOnly(1, 0), new TimeOnly(5, 0), "Europe/Paris");
        var rollout = Running(["enterprise"], windows: new Dictionary<string, MaintenanceWindow> { ["enterprise"] = window });
        var monday = RolloutAdvancer.Decide(rollout, [Health("enterprise", 100, 0)], Later);
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.OutsideWindow), (monday.Kind, monday.Reason));
        // Saturday 7 March 2026, 02:30 in Paris (UTC+1) = 01:30 UTC.
        var saturday = RolloutAdvancer.Decide(rollout, [Health("enterprise", 100, 0)], new DateTimeOffset(2026, 3, 7, 1, 30, 0, TimeSpan.Zero));
        Assert.Equal(RolloutDecisionKind.Advance, saturday.Kind);
    }

    [Fact]
    public void A_window_past_midnight_belongs_to_the_day_it_starts()
    {
        var window = new MaintenanceWindow([DayOfWeek.Friday], new TimeOnly(22, 0), new TimeOnly(2, 0), "UTC");
        Assert.True(window.Contains(new DateTimeOffset(2026, 3, 6, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(window.Contains(new DateTimeOffset(2026, 3, 7, 1, 0, 0, TimeSpan.Zero)));
        Assert.False(window.Contains(new DateTimeOffset(2026, 3, 7, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_last_step_held_healthy_completes()
    {
        var atFull = RolloutTransitions.Apply(Running(), RolloutAction.SetPercentage, T0, "k", 100).Rollout!;
        var verdict = RolloutAdvancer.Decide(atFull, [Health("all", 100, 0)], Later);
        Assert.Equal(RolloutDecisionKind.Complete, verdict.Kind);
        Assert.Equal(RolloutState.Completed, RolloutAdvancer.Apply(atFull, verdict, Later).State);
    }

    [Fact]
    public void A_paused_rollout_holds_while_its_segments_are_healthy()
    {
        var paused = RolloutTransitions.Apply(Running(), RolloutAction.Pause, T0, "k").Rollout!;
        var verdict = RolloutAdvancer.Decide(paused, [Health("all", 100, 0)], Later);
        Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.NotRunning), (verdict.Kind, verdict.Reason));
    }

    [Fact]
    public void A_paused_rollout_whose_target_breaches_the_gate_halts_because_its_devices_still_run_the_target()
    {
        var paused = RolloutTransitions.Apply(Running(), RolloutAction.Pause, T0, "k").Rollout!;
        var verdict = RolloutAdvancer.Decide(paused, [Health("all", 100, 90)], Later);
        Assert.Equal((RolloutDecisionKind.Halt, RolloutReasons.GateBreached), (verdict.Kind, verdict.Reason));
    }
}
