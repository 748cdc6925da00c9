namespace UpdateFunctions.Core.Updates;

/// <summary>Why a device ended up on a channel: the reason half of a channel resolution.</summary>
public enum ChannelSource
{
    /// <summary>No channel resolved.</summary>
    None,
    /// <summary>An admin override on the device record.</summary>
    AdminOverride,
    /// <summary>The <c>defaultChannel</c> the device asked for (v7+/v8 plugins keep their self-assignment here).</summary>
    RequestedDefaultChannel,
    /// <summary>A server-side self-assignment made through <c>channel_self</c> by an older plugin.</summary>
    SelfAssigned,
    /// <summary>The app's public default channel.</summary>
    PublicDefault,
}
