using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateFunctions.Cli.Api;

// The wire types of docs/management-api.md, camelCase through CliJson. Fields the server might omit are nullable.

public sealed record ApiError(string? Error, string? Message);

public sealed record App(string Id, string? Name, string? DefaultChannel, string? PublicKey, string? KeyId, DateTimeOffset? CreatedAt);

public sealed record CreateAppRequest(string Id, string Name, string? DefaultChannel);

public sealed record Channel(
    string Name,
    long? Id,
    string? Bundle,
    bool? Public,
    bool? Ios,
    bool? Android,
    bool? Electron,
    bool? AllowDeviceSelfSet,
    bool? AllowEmulator,
    bool? AllowDevice,
    bool? AllowDev,
    bool? AllowProd,
    string? DisableAutoUpdate,
    bool? DisableAutoUpdateUnderNative,
    bool? PartialUpdates = null,
    string? ActiveRollout = null);

public sealed record SetChannelBundleRequest(string Version);

public sealed record CreateBundleRequest(
    string Version,
    long Size,
    string Sha256,
    string? MinUpdateVersion,
    string? Link,
    string? Comment,
    string? SessionKey,
    string? KeyId,
    string? DeviceChecksum = null);

/// <summary>The 201 answer of <c>POST …/bundles</c>: where to PUT the zip.</summary>
public sealed record UploadTicket(string Version, string UploadUrl, DateTimeOffset? UploadExpiresAt, string? State);

public sealed record Bundle(
    string Version,
    string? Checksum,
    long? Size,
    string? BlobPath,
    string? Url,
    string? SessionKey,
    string? KeyId,
    string? MinUpdateVersion,
    string? Link,
    string? Comment,
    DateTimeOffset? CreatedAt,
    BundleManifest? Manifest = null);

/// <summary>A bundle's per-file manifest: <c>ready</c> (with counts), <c>unavailable</c> (with a reason) or <c>none</c>.</summary>
public sealed record BundleManifest(string? Status, int? Files, long? Size, long? DownloadSize, string? Reason);

public sealed record Device(
    string DeviceId,
    string? Channel,
    string? Bundle,
    string? SelfAssignedChannel,
    string? EffectiveChannel,
    string? Reason);

public sealed record CreateKeyRequest(string Name, string Role, IReadOnlyList<string>? Apps, DateTimeOffset? ExpiresAt);

/// <summary>An API key; <see cref="Key"/> (the secret) is only in the answer of its creation.</summary>
public sealed record ApiKey(
    [property: JsonConverter(typeof(StringOrNumberConverter))] string Id,
    string? Key,
    string? Name,
    string? Role,
    IReadOnlyList<string>? Apps,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? CreatedAt);

public sealed record AuditEntry(
    [property: JsonConverter(typeof(StringOrNumberConverter))] string Id,
    DateTimeOffset? At,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? KeyId,
    string? Action,
    string? App,
    string? Resource,
    JsonElement? Before,
    JsonElement? After);

/// <summary>Reads an id the contract leaves untyped, whether the server writes it as a string or a number.</summary>
public sealed class StringOrNumberConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException($"Expected a string or a number, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
