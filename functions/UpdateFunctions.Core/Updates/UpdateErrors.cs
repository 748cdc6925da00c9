namespace UpdateFunctions.Core.Updates;

/// <summary>The stable error codes and messages of <c>POST /updates</c> (docs/protocol.md). Wire names never change.</summary>
public static class UpdateErrors
{
    public const string AppNotFound = "app_not_found";
    public const string NoChannel = "no_channel";
    public const string NoBundle = "no_bundle";
    public const string KeyIdMismatch = "key_id_mismatch";
    public const string NoNewVersionAvailable = "no_new_version_available";
    public const string DisabledPlatformIos = "disabled_platform_ios";
    public const string DisabledPlatformAndroid = "disabled_platform_android";
    public const string DisabledPlatformElectron = "disabled_platform_electron";
    public const string DisableAutoUpdateToMajor = "disable_auto_update_to_major";
    public const string DisableAutoUpdateToMinor = "disable_auto_update_to_minor";
    public const string DisableAutoUpdateToPatch = "disable_auto_update_to_patch";
    public const string MisconfiguredChannel = "misconfigured_channel";
    public const string DisableAutoUpdateToMetadata = "disable_auto_update_to_metadata";
    public const string DisableAutoUpdateUnderNative = "disable_auto_update_under_native";
    public const string DisableProdBuild = "disable_prod_build";
    public const string DisableDevBuild = "disable_dev_build";
    public const string DisableDevice = "disable_device";
    public const string DisableEmulator = "disable_emulator";
    public const string AlreadyOnBuiltin = "already_on_builtin";
    public const string RevertToBuiltinPluginVersionTooOld = "revert_to_builtin_plugin_version_too_old";

    /// <summary>The human message of each code; Capgo's wording where the plugin's users know it.</summary>
    public static string MessageFor(string code) => code switch
    {
        AppNotFound => "App not found",
        NoChannel => "no default channel or override",
        NoBundle => "Cannot get bundle",
        KeyIdMismatch => "Device encryption key does not match bundle encryption key. The device may have a different public key than the one used to encrypt this bundle.",
        NoNewVersionAvailable => "No new version available",
        DisabledPlatformIos => "Cannot update, ios is disabled",
        DisabledPlatformAndroid => "Cannot update, android is disabled",
        DisabledPlatformElectron => "Cannot update, electron is disabled",
        DisableAutoUpdateToMajor => "Cannot upgrade major version",
        DisableAutoUpdateToMinor => "Cannot upgrade minor version",
        DisableAutoUpdateToPatch => "Cannot upgrade patch version",
        MisconfiguredChannel => "Channel is set to version_number but the bundle has no minimum update version",
        DisableAutoUpdateToMetadata => "Cannot upgrade version, min update version > current version",
        DisableAutoUpdateUnderNative => "Cannot revert under native version",
        DisableProdBuild => "Cannot update, prod build is disabled",
        DisableDevBuild => "Cannot update, dev build is disabled",
        DisableDevice => "Cannot update, device is disabled",
        DisableEmulator => "Cannot update, emulator is disabled",
        AlreadyOnBuiltin => "Already on builtin",
        RevertToBuiltinPluginVersionTooOld => "revert_to_builtin used, but plugin version is too old",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown update error code."),
    };
}
