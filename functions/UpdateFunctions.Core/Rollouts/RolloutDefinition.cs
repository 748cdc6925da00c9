using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>Where a rollout is in its life: <c>draft → running ⇄ paused → completed</c>, <c>running|paused → halted → rolled_back</c>.</summary>
public enum RolloutState
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("halted")] Halted,
    [JsonStringEnumMemberName("rolled_back")] RolledBack,
}

/// <summary>What the advancer (or an admin) did, recorded in a rollout's history.</summary>
public enum RolloutDecisionKind
{
    [JsonStringEnumMemberName("advance")] Advance,
    [JsonStringEnumMemberName("hold")] Hold,
    [JsonStringEnumMemberName("halt")] Halt,
    [JsonStringEnumMemberName("complete")] Complete,
    [JsonStringEnumMemberName("manual")] Manual,
}

/// <summary>
/// The health gates a step must pass before the rollout widens.
/// </summary>
/// <param name="MinStepDuration">How long a step holds at least before the next (default 1 h).</param>
/// <param name="MinSamples">
/// Update attempts each gated segment needs on the target before its gate may pass or fail (default 50); below it the
/// segment is "waiting for samples". At 50 attempts a halt needs 3 failures (6 % &gt; 5 %): a healthy bundle failing 1 %
/// of attempts gets there by chance 1.4 % of the time, one failing 20 % misses it 0.1 % of the time. At 3 attempts one
/// failure would be 33 %: noise, not a signal.
/// </param>
/// <param name="MaxFailureRate">Failures over attempts above which a segment halts the rollout (default 0.05).</param>
/// <param name="CompareWithBaseline">
/// Also hold while the target's failure rate is significantly worse than the baseline's: a one-sided two-proportion
/// z-test at 95 % (see <see cref="RolloutAdvancer.ZScore"/>).
/// </param>
public sealed record RolloutGates(TimeSpan MinStepDuration, long MinSamples, double MaxFailureRate, bool CompareWithBaseline = true)
{
    public static RolloutGates Default { get; } = new(TimeSpan.FromHours(1), 50, 0.05);
}

/// <summary>
/// When the rollout may widen for a segment: on <paramref name="Days"/> (local days of <paramref name="TimeZoneId"/>,
/// an IANA id such as <c>Europe/Paris</c>) from <paramref name="Start"/> included to <paramref name="End"/> excluded.
/// A window whose end is not after its start runs past midnight into the next day (its day is the day it starts).
/// </summary>
public sealed record MaintenanceWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly Start, TimeOnly End, string TimeZoneId)
{
    /// <summary>Whether the id names a time zone this machine knows.</summary>
    public static bool IsKnownTimeZone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public bool Contains(DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (Start < End)
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        // Past midnight: the evening of a window day, or the early hours after one.
        return (Days.Contains(local.DayOfWeek) && time >= Start)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }
}

/// <summary>The numbers one gated segment was judged on.</summary>
/// <param name="ZScore">The two-proportion z statistic (target worse is positive), when both sides had enough samples.</param>
/// <param name="Outcome">A <see cref="RolloutReasons"/> code; <see cref="RolloutReasons.InsufficientSamples"/> is "waiting for samples".</param>
/// <param name="MinSamples">The attempts the segment needs on the target before its gate passes or fails.</param>
/// <param name="TargetCheckFailures">Failed update checks of devices on the target: shown, not judged.</param>
/// <param name="BaselineCheckFailures">Failed update checks of devices on the baseline: shown, not judged.</param>
public sealed record SegmentVerdict(
    string Segment,
    long TargetAttempts,
    long TargetFailures,
    double? TargetFailureRate,
    long BaselineAttempts,
    long BaselineFailures,
    double? BaselineFailureRate,
    double? ZScore,
    string Outcome,
    long MinSamples = 0,
    long TargetCheckFailures = 0,
    long BaselineCheckFailures = 0);

/// <summary>One decision about a rollout, with the numbers behind it: what <c>rollout status</c> explains.</summary>
/// <param name="Reason">A stable code (<see cref="RolloutReasons"/>).</param>
/// <param name="Detail">The same for a human, with the numbers.</param>
/// <param name="Repeated">How many consecutive ticks reached this same decision (holds are folded into one entry).</param>
public sealed record RolloutDecisionRecord(
    DateTimeOffset At,
    RolloutDecisionKind Kind,
    string Reason,
    string Detail,
    int FromPercent,
    int ToPercent,
    RolloutState State,
    IReadOnlyList<SegmentVerdict> Segments,
    string? By = null,
    int Repeated = 1);

/// <summary>
/// A rollout moves one channel from <paramref name="BaselineBundle"/> to <paramref name="TargetBundle"/> through
/// <paramref name="Steps"/> (percentages of the cohort), optionally only for some <paramref name="Segments"/> (empty =
/// every device of the channel; devices outside the cohort stay on the baseline). Immutable: every change is a new
/// value made by <see cref="RolloutTransitions"/> or <see cref="RolloutAdvancer"/>.
/// </summary>
/// <param name="Percent">The percentage of the cohort on the target now (0 in draft).</param>
/// <param name="StepIndex">The index in <paramref name="Steps"/> of the step reached (-1 before the first).</param>
/// <param name="Salt">Seeds <see cref="RolloutBucket"/>: a new rollout reshuffles which devices go first.</param>
/// <param name="Windows">Maintenance windows by segment name (<c>all</c> for a rollout without segments).</param>
/// <param name="StepOrigins">What each gated segment had counted in the step's first hour when the step started (<see cref="RolloutHealth"/>).</param>
public sealed record RolloutDefinition(
    string Id,
    string Channel,
    string BaselineBundle,
    string TargetBundle,
    IReadOnlyList<string> Segments,
    IReadOnlyList<int> Steps,
    int StepIndex,
    int Percent,
    RolloutState State,
    string Salt,
    RolloutGates Gates,
    IReadOnlyDictionary<string, MaintenanceWindow> Windows,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StepStartedAt,
    IReadOnlyList<RolloutDecisionRecord> History,
    IReadOnlyDictionary<string, StepOrigin>? StepOrigins = null)
{
    /// <summary>The segment name health is read under when a rollout has no segments: everyone.</summary>
    public const string Everyone = "all";

    /// <summary>Most entries kept in <see cref="History"/> (the oldest go first).</summary>
    public const int MaxHistory = 50;

    public static IReadOnlyList<int> DefaultSteps { get; } = [1, 5, 25, 50, 100];

    /// <summary>Draft, running or paused: at most one such rollout per channel.</summary>
    public bool IsActive => State is RolloutState.Draft or RolloutState.Running or RolloutState.Paused;

    /// <summary>The segments whose health gates the rollout: its segments, or <see cref="Everyone"/>.</summary>
    public IReadOnlyList<string> GatedSegments => Segments.Count == 0 ? [Everyone] : Segments;

    /// <summary>A new draft rollout.</summary>
    public static RolloutDefinition CreateDraft(
        string id, string channel, string baseline, string target, string salt, DateTimeOffset now,
        IReadOnlyList<string>? segments = null, IReadOnlyList<int>? steps = null, RolloutGates? gates = null,
        IReadOnlyDictionary<string, MaintenanceWindow>? windows = null) =>
        new(id, channel, baseline, target, segments ?? [], steps ?? DefaultSteps, -1, 0, RolloutState.Draft, salt,
            gates ?? RolloutGates.Default, windows ?? new Dictionary<string, MaintenanceWindow>(), now, null, null, []);

    /// <summary>Steps valid for a rollout: 1 to 20 strictly increasing percentages in 1..100, ending at 100.</summary>
    public static bool AreValidSteps(IReadOnlyList<int>? steps)
    {
        if (steps is null || steps.Count is 0 or > 20 || steps[^1] != 100 || steps[0] < 1)
            return false;
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i] <= steps[i - 1])
                return false;
        }
        return true;
    }

    /// <summary>This rollout with <paramref name="entry"/> appended to its history; a hold repeating the last one is folded into it.</summary>
    public RolloutDefinition Record(RolloutDecisionRecord entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var history = new List<RolloutDecisionRecord>(History);
        if (entry.Kind == RolloutDecisionKind.Hold && history.Count > 0 && history[^1] is { Kind: RolloutDecisionKind.Hold } last
            && string.Equals(last.Reason, entry.Reason, StringComparison.Ordinal) && last.FromPercent == entry.FromPercent)
        {
            history[^1] = entry with { Repeated = last.Repeated + 1 };
        }
        else
        {
            history.Add(entry);
        }
        if (history.Count > MaxHistory)
            history.RemoveRange(0, history.Count - MaxHistory);
        return this with { History = history };
    }
}
