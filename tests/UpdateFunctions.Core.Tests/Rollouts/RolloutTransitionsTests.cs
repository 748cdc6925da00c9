using UpdateFunctions.Core.Rollouts;
using static UpdateFunctions.Core.Tests.Rollouts.RolloutTestData;

namespace UpdateFunctions.Core.Tests.Rollouts;

public sealed class RolloutTransitionsTests
{
    [Fact]
    public void Start_moves_a_draft_to_its_first_step_and_starts_the_step_clock()
    {
        var started = RolloutTransitions.Apply(Draft(), RolloutAction.Start, T0, "key-1").Rollout!;
        Assert.Equal(RolloutState.Running, started.State);
        Assert.Equal(1, started.Percent);
        Assert.Equal(0, started.StepIndex);
        Assert.Equal(T0, started.StepStartedAt);
        Assert.Equal("key-1", Assert.Single(started.History).By);
    }

    [Theory]
    [InlineData(RolloutState.Draft, RolloutAction.Pause)]
    [InlineData(RolloutState.Draft, RolloutAction.Advance)]
    [InlineData(RolloutState.Running, RolloutAction.Start)]
    [InlineData(RolloutState.Running, RolloutAction.Resume)]
    [InlineData(RolloutState.Paused, RolloutAction.Pause)]
    [InlineData(RolloutState.Completed, RolloutAction.Rollback)]
    [InlineData(RolloutState.Completed, RolloutAction.Resume)]
    [InlineData(RolloutState.Halted, RolloutAction.Resume)]
    [InlineData(RolloutState.RolledBack, RolloutAction.Start)]
    [InlineData(RolloutState.RolledBack, RolloutAction.Halt)]
    public void Transitions_outside_the_state_machine_are_refused_with_invalid_transition(RolloutState state, RolloutAction action)
    {
        var result = RolloutTransitions.Apply(Draft() with { State = state }, action, T0, "k", 10);
        Assert.Null(result.Rollout);
        Assert.Equal(RolloutReasons.InvalidTransition, result.Error);
    }

    [Fact]
    public void Pause_and_resume_keep_the_percentage()
    {
        var paused = RolloutTransitions.Apply(Running(), RolloutAction.Pause, T0, "k").Rollout!;
        Assert.Equal(RolloutState.Paused, paused.State);
        var resumed = RolloutTransitions.Apply(paused, RolloutAction.Resume, T0, "k").Rollout!;
        Assert.Equal((RolloutState.Running, 1), (resumed.State, resumed.Percent));
    }

    [Fact]
    public void Advance_walks_the_steps_then_completes()
    {
        var rollout = Running();
        var seen = new List<int>();
        while (rollout.State == RolloutState.Running)
        {
            seen.Add(rollout.Percent);
            rollout = RolloutTransitions.Apply(rollout, RolloutAction.Advance, T0, "k").Rollout!;
        }
        Assert.Equal([1, 5, 25, 50, 100], seen);
        Assert.Equal(RolloutState.Completed, rollout.State);
    }

    [Fact]
    public void Setting_the_percentage_places_the_rollout_between_steps_and_the_next_advance_takes_the_next_step_above()
    {
        var set = RolloutTransitions.Apply(Running(), RolloutAction.SetPercentage, T0, "k", 30).Rollout!;
        Assert.Equal((30, 2), (set.Percent, set.StepIndex));
        Assert.Equal(50, RolloutTransitions.Apply(set, RolloutAction.Advance, T0, "k").Rollout!.Percent);
        Assert.Equal(RolloutReasons.InvalidPercentage, RolloutTransitions.Apply(Running(), RolloutAction.SetPercentage, T0, "k", 0).Error);
    }

    [Fact]
    public void Rollback_of_a_running_rollout_halts_it_first_and_records_both()
    {
        var rolledBack = RolloutTransitions.Apply(Running(), RolloutAction.Rollback, T0, "k").Rollout!;
        Assert.Equal(RolloutState.RolledBack, rolledBack.State);
        Assert.Equal([RolloutState.Running, RolloutState.Halted, RolloutState.RolledBack], rolledBack.History.Select(h => h.State));
    }

    [Fact]
    public void Repeated_holds_fold_into_one_history_entry()
    {
        var rollout = Running();
        for (var i = 0; i < 100; i++)
            rollout = RolloutAdvancer.Apply(rollout, RolloutAdvancer.Decide(rollout, [Health("all", 0, 0)], T0.AddHours(1).AddMinutes(i)), T0.AddHours(1).AddMinutes(i));
        var hold = rollout.History[^1];
        Assert.Equal((RolloutDecisionKind.Hold, 100), (hold.Kind, hold.Repeated));
        Assert.Equal(2, rollout.History.Count);
    }

    [Fact]
    public void A_rollout_survives_its_json_form()
    {
        var window = new MaintenanceWindow([DayOfWeek.Saturday], new TimeOnly(1, 0), new TimeOnly(5, 0), "Europe/Paris");
        var rollout = RolloutTransitions.Apply(Running(["enterprise"], windows: new Dictionary<string, MaintenanceWindow> { ["enterprise"] = window }),
            RolloutAction.Pause, T0, "k").Rollout!;
        var json = RolloutJson.Write(rollout);
        Assert.Contains("\"state\":\"paused\"", json, StringComparison.Ordinal);
        Assert.True(RolloutJson.TryParse(json, out var back));
        Assert.Equal(json, RolloutJson.Write(back));
        Assert.Equal(window.Start, back.Windows["enterprise"].Start);
    }
}
