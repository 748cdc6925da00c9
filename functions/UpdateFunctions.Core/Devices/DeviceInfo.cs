using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Devices;

/// <summary>
/// The device info object every plugin call carries (docs/protocol.md), validated and normalised:
/// <see cref="DeviceId"/> lower-cased, <see cref="VersionBuild"/> padded to strict semver, and
/// <see cref="VersionName"/> already replaced by <see cref="VersionBuild"/> when the device ran <c>builtin</c>.
/// </summary>
public sealed record DeviceInfo(
    string AppId,
    string DeviceId,
    Platform Platform,
    string VersionName,
    string VersionBuild,
    bool IsEmulator = false,
    bool IsProd = true,
    bool IsOnBuiltin = false,
    string? VersionCode = null,
    string? VersionOs = null,
    string? PluginVersion = null,
    string? CustomId = null,
    string? DefaultChannel = null,
    string? InstallSource = null,
    string? KeyId = null);
