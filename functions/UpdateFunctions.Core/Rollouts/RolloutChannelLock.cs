using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>The outcome of claiming a channel for a new rollout.</summary>
/// <param name="Channel">The channel as written with the claim (its bundle is the new rollout's baseline), when claimed.</param>
/// <param name="HeldBy">The draft, running or paused rollout that holds the channel, when refused.</param>
public sealed record ChannelClaim(ChannelDefinition? Channel, RolloutDefinition? HeldBy, bool ChannelMissing = false);

/// <summary>
/// "At most one active rollout per channel", kept exact on the channel's own row: a rollout claims its channel
/// (<see cref="ChannelDefinition.ActiveRollout"/>) with the channel's ETag before it is written, and releases it when it
/// ends, pointing the channel at what it should serve from then on. Setting a channel's bundle writes the same row,
/// so it cannot slip in beside a rollout either. Every step tolerates a crash between two writes: a pointer to a
/// rollout that ended, or was never written, is stale and is settled by the next claim.
/// </summary>
public static class RolloutChannelLock
{
    private const int MaxAttempts = 5;

    /// <summary>What a channel serves once its rollout ended: the target after a completion for everyone, else the baseline.</summary>
    public static string SettledBundle(RolloutDefinition rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return rollout.State == RolloutState.Completed && rollout.Segments.Count == 0 ? rollout.TargetBundle : rollout.BaselineBundle;
    }

    /// <summary>The rollout that holds the channel (draft, running or paused), or null when the channel is free.</summary>
    public static async Task<RolloutDefinition?> HolderAsync(ICatalogStore catalog, string appId, ChannelDefinition channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ActiveRollout is not { } id)
            return null;
        var holder = await catalog.GetRolloutAsync(appId, id, cancellationToken);
        return holder is { Value.IsActive: true } ? holder.Value : null;
    }

    /// <summary>
    /// Claims <paramref name="channelName"/> for <paramref name="rolloutId"/>, settling a stale claim first (so the
    /// channel's bundle, the new baseline, is what devices really get). Retries lost races.
    /// </summary>
    public static async Task<ChannelClaim> ClaimAsync(ICatalogStore catalog, string appId, string channelName, string rolloutId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        for (var attempt = 1; ; attempt++)
        {
            var read = await catalog.GetChannelAsync(appId, channelName, cancellationToken);
            if (read is null)
                return new ChannelClaim(null, null, ChannelMissing: true);
            var channel = read.Value;
            var bundle = channel.Bundle;
            if (channel.ActiveRollout is { } previousId && await catalog.GetRolloutAsync(appId, previousId, cancellationToken) is { } previous)
            {
                if (previous.Value.IsActive)
                    return new ChannelClaim(null, previous.Value);
                bundle = SettledBundle(previous.Value);
            }

            var claimed = channel with { Bundle = bundle, ActiveRollout = rolloutId };
            try
            {
                await catalog.PutChannelAsync(appId, claimed, WriteCondition.Matching(read.ETag), cancellationToken);
                return new ChannelClaim(claimed, null);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // The channel changed meanwhile (another claim, a bundle set): read and decide again.
            }
        }
    }

    /// <summary>
    /// After <paramref name="ended"/> ended (or a draft was deleted): frees its channel and points it at
    /// <see cref="SettledBundle"/>. Does nothing when the channel no longer names this rollout. Retries lost races.
    /// </summary>
    /// <returns>The channel as written, or null when there was nothing to release.</returns>
    public static async Task<ChannelDefinition?> ReleaseAsync(ICatalogStore catalog, string appId, RolloutDefinition ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(ended);
        for (var attempt = 1; ; attempt++)
        {
            var read = await catalog.GetChannelAsync(appId, ended.Channel, cancellationToken);
            if (read is null || !string.Equals(read.Value.ActiveRollout, ended.Id, StringComparison.Ordinal))
                return null;
            var released = read.Value with { Bundle = SettledBundle(ended), ActiveRollout = null };
            try
            {
                await catalog.PutChannelAsync(appId, released, WriteCondition.Matching(read.ETag), cancellationToken);
                return released;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another channel change won: read and release again.
            }
        }
    }
}
