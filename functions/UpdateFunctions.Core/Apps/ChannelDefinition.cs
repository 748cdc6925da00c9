namespace UpdateFunctions.Core.Apps;

/// <summary>A channel of an app (table <c>channels</c>): which bundle it serves and to whom.</summary>
/// <param name="Id">Stable numeric id, shown to devices by <c>GET /channel_self</c>.</param>
/// <param name="Bundle">Version of the bundle served, <c>builtin</c> to send devices back to the binary, or null.</param>
/// <param name="PartialUpdates">
/// Offer the bundle's per-file manifest with the zip, so devices download only the files they lack (when the bundle
/// has a manifest and the plugin can use it).
/// </param>
/// <param name="ActiveRollout">
/// Id of the draft, running or paused rollout that holds the channel, if any. Claimed with the channel's ETag, so
/// creating a rollout and setting the channel's bundle cannot both win a race; a pointer to a rollout that ended (or
/// never got written) is stale and counts as free.
/// </param>
public sealed record ChannelDefinition(
    string Name,
    long Id,
    string? Bundle,
    bool Ios = true,
    bool Android = true,
    bool Electron = true,
    bool AllowDeviceSelfSet = false,
    bool AllowEmulator = true,
    bool AllowDevice = true,
    bool AllowDev = true,
    bool AllowProd = true,
    AutoUpdatePolicy DisableAutoUpdate = AutoUpdatePolicy.Major,
    bool DisableAutoUpdateUnderNative = true,
    bool PartialUpdates = false,
    string? ActiveRollout = null)
{
    public bool IsEnabledFor(Platform platform) => platform switch
    {
        Platform.Ios => Ios,
        Platform.Android => Android,
        Platform.Electron => Electron,
        _ => false,
    };

    /// <summary>Whether a device of this class and build type may use the channel at all.</summary>
    public bool Admits(bool isEmulator, bool isProd) =>
        (isEmulator ? AllowEmulator : AllowDevice) && (isProd ? AllowProd : AllowDev);
}
