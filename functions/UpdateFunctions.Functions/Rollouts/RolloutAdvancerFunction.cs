using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Functions.Rollouts;

/// <summary>
/// Advances, holds or halts every running rollout (docs/architecture.md, "Rollouts"), on the CRON schedule of the
/// <c>ROLLOUT_ADVANCE_SCHEDULE</c> setting (every 5 minutes by default). LocalHost runs it on the same schedule.
/// </summary>
public sealed partial class RolloutAdvancerFunction(RolloutAdvancerService advancer, ILogger<RolloutAdvancerFunction> logger)
{
    [Function(nameof(RolloutAdvancerFunction))]
    public async Task Run([TimerTrigger("%ROLLOUT_ADVANCE_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        foreach (var outcome in await advancer.TickAsync(cancellationToken))
        {
            LogOutcome(logger, outcome.AppId, outcome.RolloutId, outcome.Reason, outcome.FromPercent, outcome.ToPercent, outcome.Detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {AppId}/{RolloutId}: {Reason} ({FromPercent}% → {ToPercent}%): {Detail}")]
    private static partial void LogOutcome(ILogger logger, string appId, string rolloutId, string reason, int fromPercent, int toPercent, string detail);
}
