using System.Globalization;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>The health of one gated segment since the step started: on the target, and on the baseline for comparison.</summary>
public sealed record GateHealth(string Segment, SegmentHealth Target, SegmentHealth? Baseline);

/// <summary>What the advancer decided for one tick, with the numbers it decided on.</summary>
public sealed record RolloutVerdict(
    RolloutDecisionKind Kind, string Reason, string Detail, int FromPercent, int ToPercent, IReadOnlyList<SegmentVerdict> Segments);

/// <summary>
/// The timer's decision for one running rollout, pure (health and time are inputs). In this order:
/// <list type="number">
/// <item><b>Halt</b> when any gated segment has at least <see cref="RolloutGates.MinSamples"/> attempts on the target and
/// a failure rate above <see cref="RolloutGates.MaxFailureRate"/> — at any time, maintenance windows do not delay a halt,
/// and a paused rollout (whose devices still run the target) halts too.</item>
/// <item><b>Hold</b> a paused rollout otherwise.</item>
/// <item><b>Hold</b> while the step is younger than <see cref="RolloutGates.MinStepDuration"/>.</item>
/// <item><b>Hold</b> outside the maintenance window of any gated segment that has one.</item>
/// <item><b>Hold</b> while a gated segment has fewer than the minimum attempts ("waiting for samples").</item>
/// <item><b>Hold</b> while a segment's target failure rate is significantly worse than its baseline's: a one-sided
/// two-proportion z-test at 95 %. With target failures f1 of n1 attempts and baseline failures f2 of n2, the pooled
/// rate p = (f1 + f2) / (n1 + n2), z = (f1/n1 − f2/n2) / √(p (1 − p) (1/n1 + 1/n2)); worse when z &gt; 1.6449 (the
/// 95th percentile of the standard normal). The test runs only when the baseline also has the minimum attempts (the
/// normal approximation needs samples; a baseline nobody is installing any more cannot be compared) and p is not 0 or
/// 1 (identical rates).</item>
/// <item>Otherwise <b>advance</b> to the next step, or <b>complete</b> when the last step (100 %) held healthy.</item>
/// </list>
/// Failed update checks (<see cref="SegmentHealth.CheckFailures"/>) are never an attempt nor a failure: a rate limit or an
/// outage of this service must not halt a healthy rollout.
/// </summary>
public static class RolloutAdvancer
{
    /// <summary>The one-sided 95 % critical value of the standard normal distribution.</summary>
    public const double CriticalZ = 1.6449;

    public static RolloutVerdict Decide(RolloutDefinition rollout, IReadOnlyList<GateHealth> health, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(health);
        var gates = rollout.Gates;
        var from = rollout.Percent;
        if (rollout.State is not (RolloutState.Running or RolloutState.Paused))
            return Verdict(RolloutDecisionKind.Hold, RolloutReasons.NotRunning, $"the rollout is {RolloutTransitions.ToWire(rollout.State)}", from, from, []);

        var verdicts = new List<SegmentVerdict>(health.Count);
        string? breached = null, lacking = null, worse = null;
        foreach (var gate in health)
        {
            var target = gate.Target;
            var rate = target.FailureRate;
            double? z = null;
            string outcome;
            if (target.Attempts >= gates.MinSamples && rate > gates.MaxFailureRate)
            {
                outcome = RolloutReasons.GateBreached;
                breached ??= $"segment '{gate.Segment}' failed {target.Failures} of {target.Attempts} attempts ({Percent(rate)}), over the {Percent(gates.MaxFailureRate)} gate";
            }
            else if (target.Attempts < gates.MinSamples)
            {
                outcome = RolloutReasons.InsufficientSamples;
                lacking ??= $"waiting for samples: segment '{gate.Segment}' has {target.Attempts} of the {gates.MinSamples} attempts needed ({target.Failures} failed)";
            }
            else if (gates.CompareWithBaseline && gate.Baseline is { } baseline && baseline.Attempts >= gates.MinSamples
                     && (z = ZScore(target.Failures, target.Attempts, baseline.Failures, baseline.Attempts)) > CriticalZ)
            {
                outcome = RolloutReasons.WorseThanBaseline;
                worse ??= $"segment '{gate.Segment}' fails {Percent(rate)} on the target against {Percent(baseline.FailureRate)} on the baseline (z = {z.Value.ToString("F2", CultureInfo.InvariantCulture)} > {CriticalZ.ToString(CultureInfo.InvariantCulture)})";
            }
            else
            {
                outcome = RolloutReasons.Healthy;
            }
            verdicts.Add(new SegmentVerdict(gate.Segment, target.Attempts, target.Failures, rate,
                gate.Baseline?.Attempts ?? 0, gate.Baseline?.Failures ?? 0, gate.Baseline?.FailureRate, z, outcome,
                gates.MinSamples, target.CheckFailures, gate.Baseline?.CheckFailures ?? 0));
        }

        if (breached is not null)
            return Verdict(RolloutDecisionKind.Halt, RolloutReasons.GateBreached, breached, from, from, verdicts);
        if (rollout.State == RolloutState.Paused)
            return Verdict(RolloutDecisionKind.Hold, RolloutReasons.NotRunning, $"paused at {from}%: only a breached gate acts on it", from, from, verdicts);

        var age = now - (rollout.StepStartedAt ?? now);
        if (age < gates.MinStepDuration)
        {
            return Verdict(RolloutDecisionKind.Hold, RolloutReasons.StepTooYoung,
                $"step {from}% has held {Minutes(age)} of the {Minutes(gates.MinStepDuration)} required", from, from, verdicts);
        }

        foreach (var segment in rollout.GatedSegments)
        {
            if (rollout.Windows.TryGetValue(segment, out var window) && !window.Contains(now))
            {
                return Verdict(RolloutDecisionKind.Hold, RolloutReasons.OutsideWindow,
                    $"outside the maintenance window of segment '{segment}' ({string.Join(",", window.Days)} {window.Start:HH\\:mm}-{window.End:HH\\:mm} {window.TimeZoneId})",
                    from, from, verdicts);
            }
        }

        if (lacking is not null)
            return Verdict(RolloutDecisionKind.Hold, RolloutReasons.InsufficientSamples, lacking, from, from, verdicts);
        if (worse is not null)
            return Verdict(RolloutDecisionKind.Hold, RolloutReasons.WorseThanBaseline, worse, from, from, verdicts);

        var next = RolloutTransitions.NextStepIndex(rollout);
        return next < rollout.Steps.Count
            ? Verdict(RolloutDecisionKind.Advance, RolloutReasons.Healthy, $"healthy at {from}%: advancing to {rollout.Steps[next]}%", from, rollout.Steps[next], verdicts)
            : Verdict(RolloutDecisionKind.Complete, RolloutReasons.Healthy, $"healthy at {from}%: complete", from, 100, verdicts);
    }

    /// <summary>
    /// The rollout after a verdict: advanced (step clock restarted), completed, halted and rolled back (a breached gate
    /// sends every device back to the baseline at once), or unchanged but for the recorded hold.
    /// </summary>
    public static RolloutDefinition Apply(RolloutDefinition rollout, RolloutVerdict verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(verdict);
        var next = verdict.Kind switch
        {
            RolloutDecisionKind.Advance or RolloutDecisionKind.Complete => RolloutTransitions.Advanced(rollout, now),
            RolloutDecisionKind.Halt => rollout with { State = RolloutState.RolledBack },
            _ => rollout,
        };
        return next.Record(new RolloutDecisionRecord(
            now, verdict.Kind, verdict.Reason, verdict.Detail, verdict.FromPercent, next.Percent, next.State, verdict.Segments, "timer"));
    }

    /// <summary>
    /// The two-proportion z statistic of target failures <paramref name="f1"/>/<paramref name="n1"/> against baseline
    /// failures <paramref name="f2"/>/<paramref name="n2"/> with a pooled rate; positive when the target fails more.
    /// 0 when either side is empty or the pooled rate is 0 or 1 (no variance: the rates are equal).
    /// </summary>
    public static double ZScore(long f1, long n1, long f2, long n2)
    {
        if (n1 <= 0 || n2 <= 0)
            return 0;
        var p1 = (double)f1 / n1;
        var p2 = (double)f2 / n2;
        var pooled = (double)(f1 + f2) / (n1 + n2);
        var variance = pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2));
        return variance <= 0 ? 0 : (p1 - p2) / Math.Sqrt(variance);
    }

    private static RolloutVerdict Verdict(
        RolloutDecisionKind kind, string reason, string detail, int from, int to, IReadOnlyList<SegmentVerdict> segments) =>
        new(kind, reason, detail, from, to, segments);

    private static string Percent(double? rate) =>
        rate is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Minutes(TimeSpan span) =>
        ((long)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min";
}
