namespace UpdateFunctions.Core.Rollouts;

/// <summary>What a gated segment had already counted, in the step's first hour, when the step started.</summary>
public sealed record StepOrigin(
    long TargetAttempts, long TargetFailures, long TargetInstalls, long BaselineAttempts, long BaselineFailures, long BaselineInstalls,
    long TargetCheckFailures = 0, long BaselineCheckFailures = 0);

/// <summary>
/// Reads the health a rollout's gates decide on: each gated segment's numbers on target and baseline since the step
/// started. Metrics are hourly, so the source counts the step's first hour whole; what that hour had counted before the
/// step started is recorded when the step starts (<see cref="RolloutDefinition.StepOrigins"/>) and taken off again, so
/// a halted rollout's failures do not count against a new rollout of the same bundle started in the same hour.
/// </summary>
public static class RolloutHealth
{
    public static async Task<List<GateHealth>> ReadAsync(IRolloutHealthSource source, string appId, RolloutDefinition rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rollout);
        var gates = new List<GateHealth>();
        if (rollout.StepStartedAt is not { } since)
            return gates;
        foreach (var segment in rollout.GatedSegments)
        {
            var target = await source.GetHealthAsync(appId, rollout.Channel, rollout.TargetBundle, segment, since, cancellationToken);
            var baseline = await source.GetHealthAsync(appId, rollout.Channel, rollout.BaselineBundle, segment, since, cancellationToken);
            if (rollout.StepOrigins?.TryGetValue(segment, out var origin) == true)
            {
                target = target with
                {
                    Attempts = Math.Max(0, target.Attempts - origin.TargetAttempts),
                    Failures = Math.Max(0, target.Failures - origin.TargetFailures),
                    Installs = Math.Max(0, target.Installs - origin.TargetInstalls),
                    CheckFailures = Math.Max(0, target.CheckFailures - origin.TargetCheckFailures),
                };
                baseline = baseline with
                {
                    Attempts = Math.Max(0, baseline.Attempts - origin.BaselineAttempts),
                    Failures = Math.Max(0, baseline.Failures - origin.BaselineFailures),
                    Installs = Math.Max(0, baseline.Installs - origin.BaselineInstalls),
                    CheckFailures = Math.Max(0, baseline.CheckFailures - origin.BaselineCheckFailures),
                };
            }
            gates.Add(new GateHealth(segment, target, baseline));
        }
        return gates;
    }

    /// <summary>
    /// <paramref name="next"/> with its step origins recorded when its step started after <paramref name="before"/>'s
    /// (a start, an advance, a percentage set by hand); unchanged otherwise.
    /// </summary>
    public static async Task<RolloutDefinition> RecordOriginAsync(
        IRolloutHealthSource source, string appId, RolloutDefinition? before, RolloutDefinition next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.StepStartedAt is null || next.StepStartedAt == before?.StepStartedAt || !next.IsActive)
            return next;
        var raw = await ReadAsync(source, appId, next with { StepOrigins = null }, cancellationToken);
        return next with
        {
            StepOrigins = raw.ToDictionary(
                g => g.Segment,
                g => new StepOrigin(g.Target.Attempts, g.Target.Failures, g.Target.Installs,
                    g.Baseline?.Attempts ?? 0, g.Baseline?.Failures ?? 0, g.Baseline?.Installs ?? 0,
                    g.Target.CheckFailures, g.Baseline?.CheckFailures ?? 0),
                StringComparer.Ordinal),
        };
    }
}
