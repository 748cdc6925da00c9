using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>
/// The rollout that governs a channel in a snapshot, with its segments resolved once: answers which bundle a device
/// gets without allocating. Running or paused: devices of the cohort (matching one of the segments, or everyone when
/// the rollout has none) whose bucket is inside the percentage get the target, everyone else the baseline. Completed:
/// the whole cohort gets the target. Halted or rolled back: everyone gets the baseline.
/// </summary>
public sealed class RolloutPlan
{
    private readonly SegmentDefinition[] _cohort;

    public RolloutPlan(RolloutDefinition rollout, IReadOnlyList<SegmentDefinition> segments)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(segments);
        Rollout = rollout;
        var cohort = new List<SegmentDefinition>();
        foreach (var name in rollout.Segments)
        {
            foreach (var segment in segments)
            {
                if (string.Equals(segment.Name, name, StringComparison.Ordinal))
                    cohort.Add(segment);
            }
        }
        _cohort = [.. cohort];
    }

    public RolloutDefinition Rollout { get; }

    /// <summary>The bundle version this device gets on the rollout's channel.</summary>
    public string BundleFor(DeviceInfo device, string channel)
    {
        ArgumentNullException.ThrowIfNull(device);
        var rollout = Rollout;
        return rollout.State switch
        {
            RolloutState.Running or RolloutState.Paused =>
                InCohort(device, channel) && RolloutBucket.IsIn(rollout.Salt, device.DeviceId, rollout.Percent) ? rollout.TargetBundle : rollout.BaselineBundle,
            RolloutState.Completed => InCohort(device, channel) ? rollout.TargetBundle : rollout.BaselineBundle,
            _ => rollout.BaselineBundle,
        };
    }

    /// <summary>Whether the device is one the rollout is for: in one of its segments, or anyone when it has none.</summary>
    public bool InCohort(DeviceInfo device, string channel)
    {
        if (Rollout.Segments.Count == 0)
            return true;
        for (var i = 0; i < _cohort.Length; i++)
        {
            if (_cohort[i].Matches(device, channel))
                return true;
        }
        return false;
    }
}
