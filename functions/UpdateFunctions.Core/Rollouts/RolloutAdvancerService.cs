using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>What one tick did to one rollout.</summary>
/// <param name="Kind">The decision, or null when the write lost a race (<see cref="RolloutReasons.Stale"/>) and the next tick retries.</param>
public sealed record RolloutTickOutcome(string AppId, string RolloutId, RolloutDecisionKind? Kind, string Reason, string Detail, int FromPercent, int ToPercent);

/// <summary>
/// The timer's work: for each app and each running rollout, read the health of every gated segment since the step
/// started (on the target, and on the baseline for comparison), decide (<see cref="RolloutAdvancer"/>, pure), and
/// write the result guarded by the ETag read. A write that loses a race (an admin paused meanwhile) is skipped and
/// reported as stale; the next tick reads again. Advances, halts and completions are audited and refresh the app's
/// snapshot; holds are only recorded in the rollout's history (a paused rollout's holds not even there). A rollout
/// that ends releases its channel (<see cref="RolloutChannelLock"/>).
/// </summary>
public sealed class RolloutAdvancerService(
    ICatalogStore catalog, IRolloutHealthSource health, IAuditLog audit, IAppSnapshotSource snapshots, TimeProvider clock)
{
    /// <summary>The key id audit entries of the timer carry.</summary>
    public const string TimerKeyId = "timer";

    public async Task<IReadOnlyList<RolloutTickOutcome>> TickAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<RolloutTickOutcome>();
        foreach (var app in await catalog.ListAppsAsync(cancellationToken))
        {
            foreach (var rollout in await catalog.ListRolloutsAsync(app.Id, cancellationToken))
            {
                // Paused rollouts are read too: a breached gate halts them, nothing else does.
                if (rollout.Value.State is RolloutState.Running or RolloutState.Paused)
                    outcomes.Add(await AdvanceAsync(app.Id, rollout, cancellationToken));
            }
        }
        return outcomes;
    }

    /// <summary>One rollout's tick, from the version of it that was read.</summary>
    public async Task<RolloutTickOutcome> AdvanceAsync(string appId, Versioned<RolloutDefinition> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rollout = read.Value;
        var now = clock.GetUtcNow();
        var gates = await RolloutHealth.ReadAsync(health, appId, rollout, cancellationToken);

        var verdict = RolloutAdvancer.Decide(rollout, gates, now);
        if (rollout.State == RolloutState.Paused && verdict.Kind == RolloutDecisionKind.Hold)
            return new RolloutTickOutcome(appId, rollout.Id, verdict.Kind, verdict.Reason, verdict.Detail, verdict.FromPercent, rollout.Percent);
        var next = await RolloutHealth.RecordOriginAsync(health, appId, rollout, RolloutAdvancer.Apply(rollout, verdict, now), cancellationToken);
        try
        {
            await catalog.PutRolloutAsync(appId, next, WriteCondition.Matching(read.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return new RolloutTickOutcome(appId, rollout.Id, null, RolloutReasons.Stale,
                "the rollout changed while the tick decided; the next tick reads it again", rollout.Percent, rollout.Percent);
        }

        if (verdict.Kind != RolloutDecisionKind.Hold)
        {
            if (!next.IsActive)
                await RolloutChannelLock.ReleaseAsync(catalog, appId, next, cancellationToken);
            await audit.WriteAsync(new AuditEntry(
                Guid.NewGuid().ToString("N"), now, TimerKeyId, "rollout." + verdict.Kind.ToString().ToLowerInvariant(), appId,
                $"apps/{appId}/rollouts/{rollout.Id}", RolloutJson.Write(rollout), RolloutJson.Write(next)), cancellationToken);
            snapshots.Invalidate(appId);
        }
        return new RolloutTickOutcome(appId, rollout.Id, verdict.Kind, verdict.Reason, verdict.Detail, verdict.FromPercent, next.Percent);
    }
}
