using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.CodePush;

/// <summary>The two spellings of the acquisition protocol: 3.x/4.x clients call the snake_case routes, 2.x the camelCase ones.</summary>
public enum CodePushDialect
{
    /// <summary><c>/v0.1/public/codepush/…</c>, snake_case names.</summary>
    SnakeCase,
    /// <summary><c>/updateCheck</c>, <c>/reportStatus/…</c>, camelCase names.</summary>
    Legacy,
}

/// <summary><c>{"update_info": {…}}</c>: what <c>AcquisitionManager.queryUpdateWithCurrentPackage</c> reads.</summary>
public sealed record UpdateCheckBody([property: JsonPropertyName("update_info")] UpdateInfoBody UpdateInfo);

public sealed record UpdateInfoBody(
    [property: JsonPropertyName("download_url")] string DownloadUrl,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("is_available")] bool IsAvailable,
    [property: JsonPropertyName("is_disabled")] bool IsDisabled,
    [property: JsonPropertyName("is_mandatory")] bool IsMandatory,
    [property: JsonPropertyName("app_version")] string AppVersion,
    [property: JsonPropertyName("target_binary_range")] string TargetBinaryRange,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("package_hash")] string PackageHash,
    [property: JsonPropertyName("package_size")] long PackageSize,
    [property: JsonPropertyName("should_run_binary_version")] bool ShouldRunBinaryVersion,
    [property: JsonPropertyName("update_app_version")] bool UpdateAppVersion);

/// <summary><c>{"updateInfo": {…}}</c>: the 2.x client's spelling.</summary>
public sealed record LegacyUpdateCheckBody([property: JsonPropertyName("updateInfo")] LegacyUpdateInfoBody UpdateInfo);

public sealed record LegacyUpdateInfoBody(
    [property: JsonPropertyName("downloadURL")] string DownloadUrl,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("isAvailable")] bool IsAvailable,
    [property: JsonPropertyName("isDisabled")] bool IsDisabled,
    [property: JsonPropertyName("isMandatory")] bool IsMandatory,
    [property: JsonPropertyName("appVersion")] string AppVersion,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("packageHash")] string PackageHash,
    [property: JsonPropertyName("packageSize")] long PackageSize,
    [property: JsonPropertyName("shouldRunBinaryVersion")] bool ShouldRunBinaryVersion,
    [property: JsonPropertyName("updateAppVersion")] bool UpdateAppVersion);

[JsonSerializable(typeof(UpdateCheckBody))]
[JsonSerializable(typeof(LegacyUpdateCheckBody))]
internal sealed partial class CodePushJsonContext : JsonSerializerContext;

/// <summary>Stable error codes of the CodePush endpoints (docs/codepush.md), in the device API's error body.</summary>
public static class CodePushErrors
{
    public const string MissingDeploymentKey = "missing_deployment_key";
    public const string InvalidDeploymentKey = "invalid_deployment_key";
    public const string DeploymentKeyNotFound = "deployment_key_not_found";
    public const string InvalidAppVersion = "invalid_app_version";
    public const string InvalidPackageHash = "invalid_package_hash";
    public const string InvalidLabel = "invalid_label";
    public const string InvalidClientUniqueId = "invalid_client_unique_id";
    public const string InvalidStatus = "invalid_status";
    public const string QueryTooLong = "query_too_long";
}
