using System.Text.Json;

namespace UpdateFunctions.Core.Management;

// The wire types of the management API (docs/management-api.md). Requests hold nullable members so that a missing
// field is told apart from a wrong one by the service, which answers with a precise message.

public sealed record ErrorDto(string Error, string Message);

public sealed record AppDto(string Id, string Name, string? DefaultChannel, string? PublicKey, string? KeyId, DateTimeOffset? CreatedAt);

public sealed record CreateAppRequest(string? Id, string? Name, string? DefaultChannel);

public sealed record PatchAppRequest(string? Name, string? DefaultChannel, string? PublicKey);

public sealed record ChannelDto(
    string Name,
    long Id,
    string? Bundle,
    bool Public,
    bool Ios,
    bool Android,
    bool Electron,
    bool AllowDeviceSelfSet,
    bool AllowEmulator,
    bool AllowDevice,
    bool AllowDev,
    bool AllowProd,
    string DisableAutoUpdate,
    bool DisableAutoUpdateUnderNative,
    bool PartialUpdates,
    string? ActiveRollout = null);

/// <summary>Body of channel create (<c>name</c> required) and channel PATCH (every member optional).</summary>
public sealed record ChannelRequest(
    string? Name = null,
    string? Bundle = null,
    bool? Public = null,
    bool? Ios = null,
    bool? Android = null,
    bool? Electron = null,
    bool? AllowDeviceSelfSet = null,
    bool? AllowEmulator = null,
    bool? AllowDevice = null,
    bool? AllowDev = null,
    bool? AllowProd = null,
    string? DisableAutoUpdate = null,
    bool? DisableAutoUpdateUnderNative = null,
    bool? PartialUpdates = null);

public sealed record SetChannelBundleRequest(string? Version);

public sealed record BundleDto(
    string Version,
    string Checksum,
    long Size,
    string? BlobPath,
    string? Url,
    string SessionKey,
    string? KeyId,
    string? MinUpdateVersion,
    string? Link,
    string? Comment,
    DateTimeOffset? CreatedAt,
    ManifestDto Manifest);

/// <summary>
/// A bundle's per-file manifest (partial updates). <c>status</c>: <c>ready</c> (with its counts), <c>unavailable</c>
/// (with a <c>reason</c> code, e.g. <c>encrypted_bundle</c>), or <c>none</c> (committed before manifests were built).
/// </summary>
public sealed record ManifestDto(string Status, int? Files = null, long? Size = null, long? DownloadSize = null, string? Reason = null);

public sealed record CreateBundleRequest(
    string? Version,
    long? Size,
    string? Sha256,
    string? MinUpdateVersion = null,
    string? Link = null,
    string? Comment = null,
    string? SessionKey = null,
    string? KeyId = null,
    string? DeviceChecksum = null);

public sealed record UploadTicketDto(string Version, Uri UploadUrl, DateTimeOffset UploadExpiresAt, string State);

public sealed record PutDeviceRequest(string? Channel, string? Bundle);

public sealed record DeviceDto(
    string DeviceId,
    string? Channel,
    string? Bundle,
    string? SelfAssignedChannel,
    string? EffectiveChannel,
    string Reason);

public sealed record CreateKeyRequest(string? Name, string? Role, IReadOnlyList<string>? Apps = null, DateTimeOffset? ExpiresAt = null);

public sealed record KeyDto(string Id, string Name, string Role, IReadOnlyList<string>? Apps, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>The key making the call (<c>GET /api/v1/whoami</c>): never its secret. <c>name</c> is null for the bootstrap key.</summary>
public sealed record WhoAmIDto(string Id, string? Name, string Role, IReadOnlyList<string>? Apps, DateTimeOffset? ExpiresAt);

public sealed record CreatedKeyDto(
    string Id, string Key, string Name, string Role, IReadOnlyList<string>? Apps, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

public sealed record AuditDto(
    string Id, DateTimeOffset At, string KeyId, string Action, string? App, string Resource, JsonElement? Before, JsonElement? After);

/// <summary>Whether a device belongs to a segment, and which conditions held.</summary>
public sealed record SegmentMatchDto(string Segment, bool Matched, string? Channel, IReadOnlyList<SegmentConditionResultDto> Conditions);

public sealed record SegmentConditionResultDto(string Condition, bool Holds);

/// <summary>
/// Body of rollout create: <c>channel</c> and <c>target</c> are required; the baseline is the bundle the channel
/// serves. Everything else has the defaults of docs/rollouts.md.
/// </summary>
/// <param name="Id">Optional id (lower-case letters, digits, '-'; up to 40); a random one otherwise.</param>
/// <param name="Start">Start at once rather than leaving a draft.</param>
public sealed record CreateRolloutRequest(
    string? Channel = null,
    string? Target = null,
    List<string>? Segments = null,
    List<int>? Steps = null,
    RolloutGatesRequest? Gates = null,
    Dictionary<string, MaintenanceWindowRequest>? Windows = null,
    bool? Start = null,
    string? Id = null);

/// <param name="MinStepDuration">e.g. <c>1h</c>, <c>30m</c>, <c>1h30m</c>, <c>PT1H</c>.</param>
public sealed record RolloutGatesRequest(
    string? MinStepDuration = null,
    long? MinSamples = null,
    double? MaxFailureRate = null,
    bool? CompareWithBaseline = null);

/// <param name="Days">Day names or three-letter abbreviations (<c>sat</c>, <c>Saturday</c>).</param>
/// <param name="Start"><c>HH:mm</c> local time, included.</param>
/// <param name="End"><c>HH:mm</c> local time, excluded; not after the start = runs past midnight.</param>
/// <param name="TimeZone">IANA time zone id, e.g. <c>Europe/Paris</c>.</param>
public sealed record MaintenanceWindowRequest(
    List<string>? Days = null,
    string? Start = null,
    string? End = null,
    string? TimeZone = null);

/// <summary>Body of <c>PUT …/rollouts/{rollout}/percentage</c>.</summary>
public sealed record SetRolloutPercentageRequest(int? Percent = null);
