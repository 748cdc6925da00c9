using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Devices;

// The exact JSON the plugin receives. Every field keeps the wire type docs/protocol.md gives: the iOS plugin
// rejects a whole answer on a type mismatch, so nulls are omitted rather than written. Bodies with human messages
// (errors, per-event stats results) are written by DeviceErrorJsonContext.

public sealed record UpdateAvailableBody(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("checksum")] string Checksum,
    [property: JsonPropertyName("session_key")] string SessionKey,
    [property: JsonPropertyName("link")] string? Link = null,
    [property: JsonPropertyName("comment")] string? Comment = null,
    [property: JsonPropertyName("manifest")] IReadOnlyList<ManifestEntryBody>? Manifest = null);

/// <summary>One file of a partial update, as the plugin reads it (all three are required strings).</summary>
public sealed record ManifestEntryBody(
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("file_hash")] string FileHash,
    [property: JsonPropertyName("download_url")] string DownloadUrl);

public sealed record BuiltinBody([property: JsonPropertyName("version")] string Version);

public sealed record UpdateRefusalBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("version")] string? Version = null,
    [property: JsonPropertyName("old")] string? Old = null,
    [property: JsonPropertyName("major")] bool? Major = null,
    [property: JsonPropertyName("deviceKeyId")] string? DeviceKeyId = null,
    [property: JsonPropertyName("bundleKeyId")] string? BundleKeyId = null);

public sealed record ErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("kind")] string? Kind = null);

public sealed record StatusBody([property: JsonPropertyName("status")] string Status);

public sealed record StatsEventResult(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("error")] string? Error = null,
    [property: JsonPropertyName("message")] string? Message = null);

public sealed record StatsBatchBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("results")] IReadOnlyList<StatsEventResult> Results);

public sealed record ChannelSetBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("allowSet")] bool? AllowSet = null,
    [property: JsonPropertyName("unset")] bool? Unset = null);

public sealed record ChannelGetBody(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("allowSet")] bool AllowSet);

public sealed record ChannelListItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("public")] bool Public,
    [property: JsonPropertyName("allow_self_set")] bool AllowSelfSet);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UpdateAvailableBody))]
[JsonSerializable(typeof(BuiltinBody))]
[JsonSerializable(typeof(UpdateRefusalBody))]
[JsonSerializable(typeof(StatusBody))]
[JsonSerializable(typeof(ChannelSetBody))]
[JsonSerializable(typeof(ChannelGetBody))]
[JsonSerializable(typeof(IReadOnlyList<ChannelListItem>))]
public sealed partial class DeviceJsonContext : JsonSerializerContext;
