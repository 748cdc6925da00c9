namespace UpdateFunctions.Core.Updates;

/// <summary>The stable error codes and messages of <c>POST /updates</c> (PROTOCOL.md). Wire names never change.</summary>
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
}
