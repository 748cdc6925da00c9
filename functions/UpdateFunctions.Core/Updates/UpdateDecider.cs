using System.Diagnostics.CodeAnalysis;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Updates;

/// <summary>Which channel a device ends up on, and why.</summary>
public sealed record ChannelResolution(ChannelDefinition? Channel, ChannelSource Source);

/// <summary>
/// The update decision of docs/protocol.md, in Capgo's order: channel, target bundle, encryption key, version,
/// channel policy (fenced against the device's <em>native</em> version), builtin. Pure: no I/O, no clock, and
/// every outcome carries the channel and the reason it was chosen.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static",
    Justification = "An injected service like the others; it holds no state (a rollout's plan and salt live in the app snapshot).")]
public sealed class UpdateDecider
{
    /// <summary>Decides for a device of an app that exists (the caller answers <c>app_not_found</c>).</summary>
    public UpdateDecision Decide(AppSnapshot app, DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(device);

        // 2. Channel. Nothing about the channel is revealed when none resolves.
        var (channel, source) = ResolveChannel(app, device);
        if (channel is null)
            return Refuse(UpdateErrors.NoChannel, RefusalKind.Failed);

        // 3. Target bundle: an admin pin beats the channel's rollout, which beats the channel's bundle.
        var targetVersion = app.FindDevice(device.DeviceId)?.PinnedBundle
            ?? app.FindRolloutPlan(channel.Name)?.BundleFor(device, channel.Name)
            ?? channel.Bundle;
        var isBuiltinTarget = targetVersion == BundleVersion.Builtin;
        var bundle = isBuiltinTarget ? null : app.FindBundle(targetVersion);
        if (!isBuiltinTarget && bundle is null)
            return Refuse(UpdateErrors.NoBundle, RefusalKind.Failed, channel, source);

        // 4. Encryption key: only a disagreement of two known keys is a mismatch, and only from plugins that send
        // the current key_id format (older ones send a short id that never matches).
        if (bundle?.KeyId is { } bundleKeyId && device.KeyId is { } deviceKeyId
            && !string.Equals(bundleKeyId, deviceKeyId, StringComparison.Ordinal)
            && PluginCompatibility.SendsCurrentKeyIdFormat(device.PluginVersion))
        {
            return Refuse(UpdateErrors.KeyIdMismatch, RefusalKind.Blocked, channel, source)
                with { DeviceKeyId = deviceKeyId, BundleKeyId = bundleKeyId };
        }

        // 5. Same version: up to date. An older target is offered, which is how a rollback reaches devices.
        if (!isBuiltinTarget && string.Equals(targetVersion, device.VersionName, StringComparison.Ordinal))
            return Refuse(UpdateErrors.NoNewVersionAvailable, RefusalKind.UpToDate, channel, source);

        // 6. Channel policy.
        if (CheckPolicy(app, channel, bundle, device) is { } blocked)
            return blocked with { Channel = channel.Name, Source = source, Version = targetVersion };

        // 7. Back to the binary's own bundle.
        if (isBuiltinTarget)
        {
            if (device.IsOnBuiltin)
                return Refuse(UpdateErrors.AlreadyOnBuiltin, RefusalKind.UpToDate, channel, source);
            return PluginCompatibility.CanResetToBuiltin(device.PluginVersion)
                ? new BuiltinOffer(channel.Name, source)
                : Refuse(UpdateErrors.RevertToBuiltinPluginVersionTooOld, RefusalKind.Failed, channel, source);
        }

        // 8. Offer it: the zip always, and its manifest too where the channel, the bundle and the plugin allow.
        var (delivery, manifest) = ChooseManifest(app, channel, bundle!, device);
        return new UpdateOffer(bundle!, channel.Name, source, manifest, delivery);
    }

    /// <summary>Partial updates: whether the offer carries the bundle's manifest, and why (or why not).</summary>
    internal static (ManifestDelivery Delivery, Bundles.BundleManifest? Manifest) ChooseManifest(
        AppSnapshot app, ChannelDefinition channel, BundleDefinition bundle, DeviceInfo device)
    {
        if (!channel.PartialUpdates)
            return (ManifestDelivery.ChannelOff, null);
        if (bundle.IsEncrypted || bundle.ManifestUnavailable is not null)
            return (ManifestDelivery.Unavailable, null);
        if (bundle.Manifest is null)
            return (ManifestDelivery.NotBuilt, null);
        if (!PluginCompatibility.ReceivesManifest(device.PluginVersion))
            return (ManifestDelivery.PluginTooOld, null);
        return app.FindManifest(bundle.Version) is { } manifest
            ? (ManifestDelivery.Included, manifest)
            : (ManifestDelivery.NotLoaded, null);
    }

    /// <summary>
    /// docs/protocol.md, decision step 2: which channel serves this device, and why. One refinement from Capgo: an older plugin's
    /// server-side self-assignment comes before the <c>defaultChannel</c> it sends.
    /// </summary>
    public ChannelResolution ResolveChannel(AppSnapshot app, DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(device);
        var record = app.FindDevice(device.DeviceId);

        // An admin override may point anywhere, private channels and closed platforms included:
        // the policy checks of step 6 still apply to it.
        if (record?.OverrideChannel is { } overridden && app.FindChannel(overridden) is { } overrideChannel)
            return new(overrideChannel, ChannelSource.AdminOverride);

        // Older plugins send their configured defaultChannel, never the channel they later assigned themselves:
        // only the server-side record carries that choice, so it comes first for them (as in Capgo).
        if (record?.SelfAssignedChannel is { } legacyChoice && device.DefaultChannel is not null
            && PluginCompatibility.IsLegacyChannelSelfAssignment(device.PluginVersion)
            && app.FindChannel(legacyChoice) is { } legacyChannel)
        {
            return new(legacyChannel, ChannelSource.SelfAssigned);
        }

        // A device asking for a channel gets it or nothing: falling back would silently move a tester to production.
        if (device.DefaultChannel is { } requested)
        {
            var channel = app.FindChannel(requested);
            return channel is not null && channel.IsEnabledFor(device.Platform) && (app.IsPublic(channel) || channel.AllowDeviceSelfSet)
                ? new(channel, ChannelSource.RequestedDefaultChannel)
                : new(null, ChannelSource.None);
        }

        if (record?.SelfAssignedChannel is { } selfAssigned && app.FindChannel(selfAssigned) is { } selfChannel)
            return new(selfChannel, ChannelSource.SelfAssigned);

        if (app.FindChannel(app.App.DefaultChannel) is { } publicDefault && publicDefault.IsEnabledFor(device.Platform))
            return new(publicDefault, ChannelSource.PublicDefault);

        return new(null, ChannelSource.None);
    }

    /// <summary>The channels a device may pick (<c>GET /channel_self</c>), ordered by id.</summary>
    public IReadOnlyList<ChannelDefinition> ListSelfAssignable(AppSnapshot app, Platform platform, bool isEmulator, bool isProd)
    {
        ArgumentNullException.ThrowIfNull(app);
        var result = new List<ChannelDefinition>();
        foreach (var channel in app.Channels.Values)
        {
            if ((app.IsPublic(channel) || channel.AllowDeviceSelfSet)
                && channel.IsEnabledFor(platform)
                && channel.Admits(isEmulator, isProd))
            {
                result.Add(channel);
            }
        }
        result.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return result;
    }

    /// <summary>
    /// Step 6 a–g. Version fences (b–f) compare the target with the native version and skip builtin. As in Capgo,
    /// <c>old</c> is the native version for the fences that compare with it (b–e) and the current bundle otherwise.
    /// </summary>
    private static UpdateRefusal? CheckPolicy(AppSnapshot app, ChannelDefinition channel, BundleDefinition? bundle, DeviceInfo device)
    {
        if (!channel.IsEnabledFor(device.Platform))
        {
            return Blocked(device.Platform switch
            {
                Platform.Ios => UpdateErrors.DisabledPlatformIos,
                Platform.Android => UpdateErrors.DisabledPlatformAndroid,
                _ => UpdateErrors.DisabledPlatformElectron,
            }, device.VersionName);
        }

        if (bundle is not null && CheckVersionFences(app, channel, bundle, device) is { } fenced)
            return fenced;

        if (!channel.AllowProd && device.IsProd) return Blocked(UpdateErrors.DisableProdBuild, device.VersionName);
        if (!channel.AllowDev && !device.IsProd) return Blocked(UpdateErrors.DisableDevBuild, device.VersionName);
        if (!channel.AllowDevice && !device.IsEmulator) return Blocked(UpdateErrors.DisableDevice, device.VersionName);
        if (!channel.AllowEmulator && device.IsEmulator) return Blocked(UpdateErrors.DisableEmulator, device.VersionName);
        return null;
    }

    private static UpdateRefusal? CheckVersionFences(AppSnapshot app, ChannelDefinition channel, BundleDefinition bundle, DeviceInfo device)
    {
        // Only policies that compare versions pay for parsing the native one.
        if (channel.DisableAutoUpdate == AutoUpdatePolicy.None && !channel.DisableAutoUpdateUnderNative)
            return null;
        // Both are validated upstream (request reader, bundle registration); a bad stored version is not fenced.
        if (!app.TryGetParsedVersion(bundle.Version, out var target) || !BundleVersion.TryParse(device.VersionBuild, out var native))
            return null;

        var nativeVersion = device.VersionBuild;
        switch (channel.DisableAutoUpdate)
        {
            case AutoUpdatePolicy.Major when target.Major > native.Major:
                return Blocked(UpdateErrors.DisableAutoUpdateToMajor, nativeVersion, major: true);
            case AutoUpdatePolicy.Minor when target.Major != native.Major || target.Minor != native.Minor:
                return Blocked(UpdateErrors.DisableAutoUpdateToMinor, nativeVersion, major: true);
            case AutoUpdatePolicy.Patch when target.Major != native.Major || target.Minor != native.Minor || target.Patch != native.Patch:
                return Blocked(UpdateErrors.DisableAutoUpdateToPatch, nativeVersion, major: true);
            case AutoUpdatePolicy.VersionNumber:
                if (!app.TryGetParsedVersion(bundle.MinUpdateVersion, out var minimum))
                    return Refuse(UpdateErrors.MisconfiguredChannel, RefusalKind.Failed, old: nativeVersion);
                if (BundleVersion.Compare(minimum, native) > 0)
                    return Blocked(UpdateErrors.DisableAutoUpdateToMetadata, nativeVersion, major: true);
                break;
        }

        if (channel.DisableAutoUpdateUnderNative && BundleVersion.Compare(target, native) < 0)
            return Blocked(UpdateErrors.DisableAutoUpdateUnderNative, device.VersionName);
        return null;
    }

    private static UpdateRefusal Blocked(string code, string old, bool major = false) =>
        new(code, UpdateErrors.MessageFor(code), RefusalKind.Blocked, Old: old, Major: major);

    private static UpdateRefusal Refuse(
        string code, RefusalKind kind, ChannelDefinition? channel = null, ChannelSource source = ChannelSource.None,
        string? version = null, string? old = null) =>
        new(code, UpdateErrors.MessageFor(code), kind, channel?.Name, source, version, old);
}
