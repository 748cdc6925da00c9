using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Source-generated JSON of the management API: camelCase, nulls written, and unknown members refused so a typo in
/// a request is a 400 rather than a silently ignored setting.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16)]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(CodePush.CreateCodePushReleaseRequest))]
[JsonSerializable(typeof(CodePush.PatchCodePushReleaseRequest))]
[JsonSerializable(typeof(CodePush.CodePushReleaseDto))]
[JsonSerializable(typeof(List<CodePush.CodePushReleaseDto>))]
[JsonSerializable(typeof(CodePush.CreateDeploymentKeyRequest))]
[JsonSerializable(typeof(CodePush.DeploymentKeyDto))]
[JsonSerializable(typeof(List<CodePush.DeploymentKeyDto>))]
[JsonSerializable(typeof(AppDto))]
[JsonSerializable(typeof(List<AppDto>))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(PatchAppRequest))]
[JsonSerializable(typeof(ChannelDto))]
[JsonSerializable(typeof(List<ChannelDto>))]
[JsonSerializable(typeof(ChannelRequest))]
[JsonSerializable(typeof(SetChannelBundleRequest))]
[JsonSerializable(typeof(BundleDto))]
[JsonSerializable(typeof(List<BundleDto>))]
[JsonSerializable(typeof(CreateBundleRequest))]
[JsonSerializable(typeof(UploadTicketDto))]
[JsonSerializable(typeof(PutDeviceRequest))]
[JsonSerializable(typeof(DeviceDto))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(KeyDto))]
[JsonSerializable(typeof(List<KeyDto>))]
[JsonSerializable(typeof(CreatedKeyDto))]
[JsonSerializable(typeof(WhoAmIDto))]
[JsonSerializable(typeof(AuditDto))]
[JsonSerializable(typeof(List<AuditDto>))]
[JsonSerializable(typeof(UpdateFunctions.Core.Telemetry.MetricsReport))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(List<System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(SegmentMatchDto))]
[JsonSerializable(typeof(CreateRolloutRequest))]
[JsonSerializable(typeof(SetRolloutPercentageRequest))]
public sealed partial class ManagementJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The same contract for answers, with minimal escaping so a message reads <c>the key has 'read'</c> rather than
    /// with <c>\u0027</c>. Safe: answers are sent as <c>application/json</c> with <c>nosniff</c>, never embedded in
    /// HTML, and quotes, backslashes and control characters are still escaped.
    /// </summary>
    public static ManagementJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        // As in the attribute above (a context's options cannot be copied once bound to it), plus the encoder.
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 16,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
