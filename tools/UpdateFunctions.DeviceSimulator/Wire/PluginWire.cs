using System.Text.Json.Serialization;

namespace UpdateFunctions.DeviceSimulator.Wire;

// What the Capgo plugin (v8) puts on the wire, as its CapgoUpdater.createInfoObject and sendStats build it:
// every info field on every call (empty strings where the app set nothing), key_id only when the app holds a key,
// and for stats the same object with version_name replaced by the bundle the event is about.

/// <summary>
/// The device info object of <c>POST /api/updates</c>, and with <see cref="Action"/>, <see cref="OldVersionName"/>
/// and <see cref="Timestamp"/> set, one event of <c>POST /api/stats</c>.
/// </summary>
public sealed record PluginCall(
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("device_id")] string DeviceId,
    [property: JsonPropertyName("app_id")] string AppId,
    [property: JsonPropertyName("custom_id")] string CustomId,
    [property: JsonPropertyName("version_build")] string VersionBuild,
    [property: JsonPropertyName("version_code")] string VersionCode,
    [property: JsonPropertyName("version_os")] string VersionOs,
    [property: JsonPropertyName("version_name")] string VersionName,
    [property: JsonPropertyName("plugin_version")] string PluginVersion,
    [property: JsonPropertyName("is_emulator")] bool IsEmulator,
    [property: JsonPropertyName("is_prod")] bool IsProd,
    [property: JsonPropertyName("install_source")] string InstallSource,
    [property: JsonPropertyName("defaultChannel")] string DefaultChannel,
    [property: JsonPropertyName("key_id")] string? KeyId = null,
    [property: JsonPropertyName("old_version_name")] string? OldVersionName = null,
    [property: JsonPropertyName("action")] string? Action = null,
    [property: JsonPropertyName("timestamp")] long? Timestamp = null);

/// <summary>
/// Any answer of <c>POST /api/updates</c>: an offer (<c>version</c>, <c>url</c>, <c>checksum</c>, <c>session_key</c>),
/// <c>{"version":"builtin"}</c>, or a refusal (<c>error</c>, <c>message</c>, <c>kind</c>). Read leniently: a field of an
/// unexpected type is a protocol error the simulator reports, not a crash.
/// </summary>
public sealed record UpdateAnswer(
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("checksum")] string? Checksum,
    [property: JsonPropertyName("session_key")] string? SessionKey,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("kind")] string? Kind)
{
    /// <summary>The plugin treats any answer with <c>error</c> or <c>kind</c> as "no update".</summary>
    [JsonIgnore]
    public bool IsRefusal => Error is not null || Kind is not null;
}

/// <summary>The answer of <c>POST /api/stats</c> to an array: one result per event.</summary>
public sealed record StatsAnswer(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("results")] IReadOnlyList<StatsEventAnswer>? Results);

public sealed record StatsEventAnswer(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>An error body (<c>{error, message}</c>) of a 4xx or 5xx answer.</summary>
public sealed record ErrorAnswer(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PluginCall))]
[JsonSerializable(typeof(IReadOnlyList<PluginCall>))]
[JsonSerializable(typeof(UpdateAnswer))]
[JsonSerializable(typeof(StatsAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
public sealed partial class PluginJsonContext : JsonSerializerContext;
