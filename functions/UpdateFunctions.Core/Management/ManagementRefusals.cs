using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Core.Management;

/// <summary>The refusals several management services give alike.</summary>
internal static class ManagementRefusals
{
    internal const int MaxNameLength = 128;

    internal static ManagementError AppNotFound(string appId) =>
        ManagementError.NotFound(ManagementErrors.AppNotFound, $"App '{appId}' does not exist.");

    internal static ManagementError ChannelNotFound(string appId, string channelName) =>
        ManagementError.NotFound(ManagementErrors.ChannelNotFound, $"Channel '{channelName}' does not exist in app '{appId}'.");

    internal static ManagementError SegmentNotFound(string appId, string name) =>
        ManagementError.NotFound(ManagementErrors.SegmentNotFound, $"Segment '{name}' of app '{appId}' does not exist.");

    internal static ManagementError RolloutHolds(string channelName, RolloutDefinition holder) =>
        ManagementError.Conflict(ManagementErrors.RolloutActive,
            $"Channel '{channelName}' is held by rollout '{holder.Id}' ({RolloutTransitions.ToWire(holder.State)}, {holder.Percent}% on {holder.TargetBundle}): complete, halt or (if a draft) delete it first.");

    internal static ManagementError? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl)
            ? ManagementError.Invalid(ManagementErrors.InvalidBody, $"'name' is required: 1-{MaxNameLength} printable characters.")
            : null;
}
