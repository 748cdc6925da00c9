namespace UpdateFunctions.Core.Rollouts;

/// <summary>What an admin can ask of a rollout.</summary>
public enum RolloutAction
{
    Start,
    Pause,
    Resume,
    Advance,
    SetPercentage,
    Halt,
    Rollback,
    Complete,
}

/// <summary>Stable codes of rollout refusals and decisions.</summary>
public static class RolloutReasons
{
    public const string InvalidTransition = "invalid_transition";
    public const string InvalidPercentage = "invalid_percentage";
    public const string NotRunning = "not_running";
    public const string StepTooYoung = "step_too_young";
    public const string OutsideWindow = "outside_window";
    public const string InsufficientSamples = "insufficient_samples";
    public const string WorseThanBaseline = "worse_than_baseline";
    public const string GateBreached = "gate_breached";
    public const string Healthy = "healthy";
    public const string Manual = "manual";
    public const string Stale = "stale";
}

/// <summary>The result of a transition: the new rollout, or a refusal code with a message.</summary>
public sealed record RolloutTransition(RolloutDefinition? Rollout, string? Error, string? Message)
{
    public static RolloutTransition Ok(RolloutDefinition rollout) => new(rollout, null, null);
    public static RolloutTransition Refused(string error, string message) => new(null, error, message);
}

/// <summary>
/// The state machine of a rollout, pure (time is an input): <c>draft → running ⇄ paused → completed</c> and
/// <c>running|paused → halted → rolled_back</c>. A rollback asked of a running or paused rollout halts it first (both
/// steps are recorded). Every accepted action is recorded in the history with who asked.
/// </summary>
public static class RolloutTransitions
{
    public static RolloutTransition Apply(RolloutDefinition rollout, RolloutAction action, DateTimeOffset now, string by, int? percent = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var state = rollout.State;
        var live = state is RolloutState.Running or RolloutState.Paused;
        switch (action)
        {
            case RolloutAction.Start when state == RolloutState.Draft:
                return Done(rollout with
                {
                    State = RolloutState.Running, StepIndex = 0, Percent = rollout.Steps[0], StartedAt = now, StepStartedAt = now,
                }, rollout, now, by, "started");
            case RolloutAction.Pause when state == RolloutState.Running:
                return Done(rollout with { State = RolloutState.Paused }, rollout, now, by, "paused");
            case RolloutAction.Resume when state == RolloutState.Paused:
                return Done(rollout with { State = RolloutState.Running }, rollout, now, by, "resumed");
            case RolloutAction.Advance when live:
                return Done(Advanced(rollout, now), rollout, now, by, "advanced by hand");
            case RolloutAction.SetPercentage when live:
                if (percent is not { } p || p < 1 || p > 100)
                    return RolloutTransition.Refused(RolloutReasons.InvalidPercentage, "The percentage must be an integer from 1 to 100.");
                return Done(rollout with { Percent = p, StepIndex = StepIndexOf(rollout.Steps, p), StepStartedAt = now }, rollout, now, by, $"percentage set to {p}%");
            case RolloutAction.Halt when live:
                return Done(rollout with { State = RolloutState.Halted }, rollout, now, by, "halted");
            case RolloutAction.Rollback when live:
                var halted = Done(rollout with { State = RolloutState.Halted }, rollout, now, by, "halted").Rollout!;
                return Done(halted with { State = RolloutState.RolledBack }, halted, now, by, "rolled back");
            case RolloutAction.Rollback when state == RolloutState.Halted:
                return Done(rollout with { State = RolloutState.RolledBack }, rollout, now, by, "rolled back");
            case RolloutAction.Complete when live:
                return Done(Completed(rollout), rollout, now, by, "completed by hand");
            default:
                return RolloutTransition.Refused(RolloutReasons.InvalidTransition,
                    $"A {ToWire(state)} rollout cannot {ToWire(action)}.");
        }
    }

    /// <summary>The next step (or completion after the last), the step clock restarted.</summary>
    internal static RolloutDefinition Advanced(RolloutDefinition rollout, DateTimeOffset now)
    {
        var next = NextStepIndex(rollout);
        return next < rollout.Steps.Count
            ? rollout with { StepIndex = next, Percent = rollout.Steps[next], StepStartedAt = now }
            : Completed(rollout);
    }

    /// <summary>The index of the first step above the current percentage (<c>Steps.Count</c> when none).</summary>
    public static int NextStepIndex(RolloutDefinition rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var next = 0;
        while (next < rollout.Steps.Count && rollout.Steps[next] <= rollout.Percent)
            next++;
        return next;
    }

    private static RolloutDefinition Completed(RolloutDefinition rollout) =>
        rollout with { State = RolloutState.Completed, Percent = 100, StepIndex = rollout.Steps.Count - 1 };

    private static int StepIndexOf(IReadOnlyList<int> steps, int percent)
    {
        var index = -1;
        while (index + 1 < steps.Count && steps[index + 1] <= percent)
            index++;
        return index;
    }

    private static RolloutTransition Done(RolloutDefinition next, RolloutDefinition before, DateTimeOffset now, string by, string detail) =>
        RolloutTransition.Ok(next.Record(new RolloutDecisionRecord(
            now, RolloutDecisionKind.Manual, RolloutReasons.Manual, detail, before.Percent, next.Percent, next.State, [], by)));

    public static string ToWire(RolloutState state) => state switch
    {
        RolloutState.Draft => "draft",
        RolloutState.Running => "running",
        RolloutState.Paused => "paused",
        RolloutState.Completed => "completed",
        RolloutState.Halted => "halted",
        _ => "rolled_back",
    };

    public static string ToWire(RolloutAction action) => action switch
    {
        RolloutAction.SetPercentage => "set its percentage",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>The action named in a management route (<c>start</c>, <c>pause</c>, …), or null.</summary>
    public static RolloutAction? ParseAction(string? name) => name switch
    {
        "start" => RolloutAction.Start,
        "pause" => RolloutAction.Pause,
        "resume" => RolloutAction.Resume,
        "advance" => RolloutAction.Advance,
        "halt" => RolloutAction.Halt,
        "rollback" => RolloutAction.Rollback,
        "complete" => RolloutAction.Complete,
        _ => null,
    };
}
