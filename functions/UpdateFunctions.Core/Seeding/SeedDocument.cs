using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Core.Seeding;

/// <summary>A parsed and validated seed file (docs/seed-format.md). Cross-references inside each app are already checked.</summary>
public sealed record SeedDocument(IReadOnlyList<SeedApp> Apps);

/// <summary>One app of a seed file with its channels, bundles and device overrides.</summary>
/// <param name="Name">Display name; the app id when the seed gives none.</param>
public sealed record SeedApp(
    string Id,
    string Name,
    string? DefaultChannel,
    string? PublicKey,
    IReadOnlyList<SeedChannel> Channels,
    IReadOnlyList<SeedBundle> Bundles,
    IReadOnlyList<SeedDevice> Devices,
    IReadOnlyList<SegmentDefinition>? Segments = null);

/// <summary>A channel of a seed file; switches not given in the file hold the defaults of docs/seed-format.md.</summary>
/// <param name="Bundle">A bundle version of the same app, <c>builtin</c>, or null.</param>
public sealed record SeedChannel(
    string Name,
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
    bool PartialUpdates = false)
{
    /// <summary>The stored channel, with the numeric id the loader gives it (its 1-based position in the file).</summary>
    public ChannelDefinition ToDefinition(long id) => new(
        Name, id, Bundle, Ios, Android, Electron, AllowDeviceSelfSet,
        AllowEmulator, AllowDevice, AllowDev, AllowProd, DisableAutoUpdate, DisableAutoUpdateUnderNative, PartialUpdates);
}

/// <summary>
/// A bundle of a seed file: either a <see cref="File"/> (relative to the seed file) to upload, or an external
/// <see cref="Url"/> with its <see cref="Checksum"/>. Exactly one of the two forms is set.
/// </summary>
public sealed record SeedBundle(
    string Version,
    string? File,
    Uri? Url,
    string? Checksum,
    string SessionKey = "",
    string? MinUpdateVersion = null)
{
    public bool IsExternal => Url is not null;
}

/// <summary>An admin override for one device: a channel, a pinned bundle, or both.</summary>
/// <param name="Id">Device id, lower-cased as devices send it.</param>
public sealed record SeedDevice(string Id, string? Channel, string? Bundle);
