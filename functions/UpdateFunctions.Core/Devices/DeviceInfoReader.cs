using System.Text.Json;
using System.Text.RegularExpressions;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Devices;

/// <summary>How strictly <c>version_name</c> is checked.</summary>
public enum VersionNameRule
{
    /// <summary>Update checks and channel calls: strict semver, <c>builtin</c> or <c>unknown</c>.</summary>
    Semver,
    /// <summary>Stats: the bundle an event is about, possibly <c>"&lt;version&gt;:&lt;file&gt;"</c>.</summary>
    Free,
}

/// <summary>
/// Reads and validates the device info object (docs/protocol.md) from JSON or from query-string values, giving a
/// normalised <see cref="DeviceInfo"/> or the first <see cref="ProtocolError"/>. Ids are checked against
/// tight patterns here, so they are safe as Table Storage keys everywhere downstream.
/// </summary>
public static partial class DeviceInfoReader
{
    public const int MaxAppIdLength = 128;
    public const int MaxDeviceIdLength = 36;
    public const int MaxCustomIdLength = 36;
    public const int MaxKeyIdLength = 20;
    public const int MaxInstallSourceLength = 64;
    public const int MaxChannelNameLength = 64;
    public const int MaxShortStringLength = 64;
    public const int MaxStatsVersionNameLength = 256;

    /// <summary>Parsing options for every device body: bounded depth and no duplicate keys.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    // \z, not $: in .NET "$" also matches before a final "\n", which would let "id\n" through to storage keys.
    [GeneratedRegex(@"^[a-zA-Z0-9]+(\.[a-zA-Z0-9_-]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex AppIdPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceIdPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9 ._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelNamePattern();

    public static bool IsValidAppId(string? value) =>
        value is { Length: > 0 and <= MaxAppIdLength } && AppIdPattern().IsMatch(value);

    public static bool IsValidDeviceId(string? value) =>
        value is { Length: > 0 and <= MaxDeviceIdLength } && DeviceIdPattern().IsMatch(value);

    public static bool IsValidChannelName(string? value) =>
        value is { Length: > 0 and <= MaxChannelNameLength } && ChannelNamePattern().IsMatch(value);

    /// <summary>Reads the device info fields of a JSON object.</summary>
    public static bool TryRead(JsonElement body, VersionNameRule rule, out DeviceInfo device, out ProtocolError error)
    {
        device = null!;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = Invalid("The body must be a JSON object.");
            return false;
        }
        return TryBuild(new JsonFields(body), rule, out device, out error);
    }

    /// <summary>Reads the device info from query-string values (<c>GET</c>/<c>DELETE /channel_self</c>), booleans as text.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string?> query, VersionNameRule rule, out DeviceInfo device, out ProtocolError error) =>
        TryBuild(new QueryFields(query), rule, out device, out error);

    private static bool TryBuild(IFieldSource fields, VersionNameRule rule, out DeviceInfo device, out ProtocolError error)
    {
        device = null!;

        if (!fields.TryString("app_id", MaxAppIdLength, out var appId, out error)) return false;
        if (appId is null) { error = new(DeviceErrors.MissingAppId, "app_id is required."); return false; }
        if (!AppIdPattern().IsMatch(appId)) { error = Invalid("app_id must be a reverse-domain id such as com.example.app."); return false; }

        if (!fields.TryString("device_id", MaxDeviceIdLength, out var deviceId, out error)) return false;
        if (deviceId is null) { error = new(DeviceErrors.MissingDeviceId, "device_id is required."); return false; }
        if (!DeviceIdPattern().IsMatch(deviceId)) { error = Invalid("device_id must be a UUID (letters, digits and dashes)."); return false; }

        if (!fields.TryString("platform", MaxShortStringLength, out var platformText, out error)) return false;
        if (platformText is null) { error = Invalid("platform is required."); return false; }
        if (!PlatformNames.TryParse(platformText, out var platform)) { error = Invalid("platform must be one of ios, android, electron."); return false; }

        if (!fields.TryString("version_build", BundleVersion.MaxLength, out var versionBuildText, out error)) return false;
        if (versionBuildText is null) { error = Invalid("version_build is required."); return false; }
        var versionBuild = BundleVersion.NormalizeNative(versionBuildText);
        if (versionBuild is null) { error = new(DeviceErrors.SemverError, $"version_build '{versionBuildText}' is not a semantic version."); return false; }

        var maxVersionName = rule == VersionNameRule.Free ? MaxStatsVersionNameLength : BundleVersion.MaxLength;
        if (!fields.TryString("version_name", maxVersionName, out var versionName, out error)) return false;
        if (versionName is null) { error = Invalid("version_name is required."); return false; }
        var isOnBuiltin = versionName == BundleVersion.Builtin;
        if (rule == VersionNameRule.Semver && !isOnBuiltin && versionName != BundleVersion.Unknown && !BundleVersion.IsValid(versionName))
        {
            error = new(DeviceErrors.SemverError, $"version_name '{versionName}' is not a semantic version, builtin or unknown.");
            return false;
        }

        if (!fields.TryString("plugin_version", BundleVersion.MaxLength, out var pluginVersion, out error)) return false;
        if (pluginVersion is not null && !BundleVersion.IsValid(pluginVersion)) { error = Invalid("plugin_version must be a semantic version."); return false; }

        if (!fields.TryBool("is_emulator", out var isEmulator, out error)) return false;
        if (!fields.TryBool("is_prod", out var isProd, out error)) return false;
        if (!fields.TryString("version_code", MaxShortStringLength, out var versionCode, out error)) return false;
        if (!fields.TryString("version_os", MaxShortStringLength, out var versionOs, out error)) return false;
        if (!fields.TryString("custom_id", MaxCustomIdLength, out var customId, out error)) return false;
        if (!fields.TryString("defaultChannel", MaxChannelNameLength, out var defaultChannel, out error)) return false;
        if (!fields.TryString("install_source", MaxInstallSourceLength, out var installSource, out error)) return false;
        if (!fields.TryString("key_id", MaxKeyIdLength, out var keyId, out error)) return false;

        device = new DeviceInfo(
            AppId: appId,
            DeviceId: deviceId.ToLowerInvariant(),
            Platform: platform,
            // The builtin bundle is the native one: rules compare it as version_build.
            VersionName: isOnBuiltin ? versionBuild : versionName,
            VersionBuild: versionBuild,
            IsEmulator: isEmulator ?? false,
            IsProd: isProd ?? true,
            IsOnBuiltin: isOnBuiltin,
            VersionCode: versionCode,
            VersionOs: versionOs,
            PluginVersion: pluginVersion,
            CustomId: customId,
            DefaultChannel: string.IsNullOrEmpty(defaultChannel) ? null : defaultChannel,
            InstallSource: installSource,
            KeyId: string.IsNullOrEmpty(keyId) ? null : keyId);
        error = null!;
        return true;
    }

    internal static ProtocolError Invalid(string message) => new(DeviceErrors.InvalidJsonBody, message);

    /// <summary>Reads an optional string property of a JSON object: absent or null gives null.</summary>
    public static bool TryReadString(JsonElement body, string name, int maxLength, out string? value, out ProtocolError error) =>
        new JsonFields(body).TryString(name, maxLength, out value, out error);

    private interface IFieldSource
    {
        bool TryString(string name, int maxLength, out string? value, out ProtocolError error);
        bool TryBool(string name, out bool? value, out ProtocolError error);
    }

    private readonly struct JsonFields(JsonElement body) : IFieldSource
    {
        public bool TryString(string name, int maxLength, out string? value, out ProtocolError error)
        {
            value = null;
            error = null!;
            if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
                return true;
            if (element.ValueKind != JsonValueKind.String) { error = Invalid($"{name} must be a string."); return false; }
            var text = element.GetString()!;
            if (text.Length > maxLength) { error = Invalid($"{name} is longer than {maxLength} characters."); return false; }
            value = text.Length == 0 ? null : text;
            return true;
        }

        public bool TryBool(string name, out bool? value, out ProtocolError error)
        {
            value = null;
            error = null!;
            if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
                return true;
            if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) { error = Invalid($"{name} must be a boolean."); return false; }
            value = element.GetBoolean();
            return true;
        }
    }

    private readonly struct QueryFields(IReadOnlyDictionary<string, string?> query) : IFieldSource
    {
        public bool TryString(string name, int maxLength, out string? value, out ProtocolError error)
        {
            error = null!;
            value = query.TryGetValue(name, out var text) && !string.IsNullOrEmpty(text) ? text : null;
            if (value is not null && value.Length > maxLength) { error = Invalid($"{name} is longer than {maxLength} characters."); return false; }
            return true;
        }

        public bool TryBool(string name, out bool? value, out ProtocolError error)
        {
            error = null!;
            value = null;
            if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text)) return true;
            if (text is "true" or "false") { value = text == "true"; return true; }
            error = Invalid($"{name} must be true or false.");
            return false;
        }
    }
}
