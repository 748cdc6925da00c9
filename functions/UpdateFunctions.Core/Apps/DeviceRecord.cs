namespace UpdateFunctions.Core.Apps;

/// <summary>
/// What the server keeps about one device (table <c>devices</c>): an admin override, which may name a channel
/// or pin a bundle, and a channel the device assigned itself through <c>channel_self</c> (older plugins).
/// </summary>
public sealed record DeviceRecord(
    string DeviceId,
    string? OverrideChannel = null,
    string? PinnedBundle = null,
    string? SelfAssignedChannel = null)
{
    public bool IsEmpty => OverrideChannel is null && PinnedBundle is null && SelfAssignedChannel is null;
}
