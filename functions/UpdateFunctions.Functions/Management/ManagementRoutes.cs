using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary>One management call: what the OpenAPI document says about it and what the edge enforces.</summary>
/// <param name="Function">The <c>[Function]</c> name serving it.</param>
/// <param name="Template">Route below <c>/api/</c>, as in the function's <c>[HttpTrigger]</c>.</param>
/// <param name="Role">The least role allowed; null for the anonymous OpenAPI document.</param>
public sealed record ManagementRoute(
    string Function,
    string Method,
    string Template,
    ApiRole? Role,
    int SuccessStatus,
    Type? Request,
    Type? Response,
    string Summary);

/// <summary>
/// The route table of the management API, the single source of the OpenAPI document and of each call's required
/// role. A test checks that it and the <c>[Function]</c>s under <c>v1/</c> name the same calls.
/// </summary>
public static class ManagementRoutes
{
    public const string Apps = "v1/apps";
    public const string App = "v1/apps/{app}";
    public const string Channels = "v1/apps/{app}/channels";
    public const string Channel = "v1/apps/{app}/channels/{channel}";
    public const string ChannelBundle = "v1/apps/{app}/channels/{channel}/bundle";
    public const string Bundles = "v1/apps/{app}/bundles";
    public const string Bundle = "v1/apps/{app}/bundles/{version}";
    public const string BundleCommit = "v1/apps/{app}/bundles/{version}/commit";
    public const string Device = "v1/apps/{app}/devices/{deviceId}";
    public const string Keys = "v1/keys";
    public const string Key = "v1/keys/{id}";
    public const string Audit = "v1/audit";
    public const string Metrics = "v1/apps/{app}/metrics";
    public const string Segments = "v1/apps/{app}/segments";
    public const string Segment = "v1/apps/{app}/segments/{name}";
    public const string SegmentMatch = "v1/apps/{app}/segments/{name}/match";
    public const string Rollouts = "v1/apps/{app}/rollouts";
    public const string Rollout = "v1/apps/{app}/rollouts/{rollout}";
    public const string RolloutAction = "v1/apps/{app}/rollouts/{rollout}/{action}";
    public const string RolloutPercentage = "v1/apps/{app}/rollouts/{rollout}/percentage";
    public const string OpenApi = "v1/openapi.json";
    public const string CodePushReleases = "v1/apps/{app}/codepush/releases";
    public const string CodePushRelease = "v1/apps/{app}/codepush/releases/{channel}/{label}";
    public const string CodePushRollback = "v1/apps/{app}/codepush/channels/{channel}/rollback";
    public const string CodePushKeys = "v1/apps/{app}/codepush/keys";
    public const string CodePushKey = "v1/apps/{app}/codepush/keys/{id}";
    public const string CodePushKeyRotate = "v1/apps/{app}/codepush/keys/{id}/rotate";

    public static readonly ManagementRoute CreateApp = new(nameof(AppFunctions.CreateApp), "post", Apps, ApiRole.Admin, 201, typeof(CreateAppRequest), typeof(AppDto), "Create an app (and its default channel, empty, if named and missing).");
    public static readonly ManagementRoute ListApps = new(nameof(AppFunctions.ListApps), "get", Apps, ApiRole.Read, 200, null, typeof(List<AppDto>), "The apps this key may see.");
    public static readonly ManagementRoute GetApp = new(nameof(AppFunctions.GetApp), "get", App, ApiRole.Read, 200, null, typeof(AppDto), "One app, with its ETag.");
    public static readonly ManagementRoute PatchApp = new(nameof(AppFunctions.PatchApp), "patch", App, ApiRole.Write, 200, typeof(PatchAppRequest), typeof(AppDto), "Change name, default channel (must exist) or public key (PEM RSA PUBLIC KEY, or null).");

    public static readonly ManagementRoute CreateChannel = new(nameof(ChannelFunctions.CreateChannel), "post", Channels, ApiRole.Write, 201, typeof(ChannelRequest), typeof(ChannelDto), "Create a channel; switches not given take the SEED.md defaults.");
    public static readonly ManagementRoute ListChannels = new(nameof(ChannelFunctions.ListChannels), "get", Channels, ApiRole.Read, 200, null, typeof(List<ChannelDto>), "The app's channels, ordered by id.");
    public static readonly ManagementRoute GetChannel = new(nameof(ChannelFunctions.GetChannel), "get", Channel, ApiRole.Read, 200, null, typeof(ChannelDto), "One channel, with its ETag.");
    public static readonly ManagementRoute PatchChannel = new(nameof(ChannelFunctions.PatchChannel), "patch", Channel, ApiRole.Write, 200, typeof(ChannelRequest), typeof(ChannelDto), "Change any channel switch.");
    public static readonly ManagementRoute SetChannelBundle = new(nameof(ChannelFunctions.SetChannelBundle), "put", ChannelBundle, ApiRole.Write, 200, typeof(SetChannelBundleRequest), typeof(ChannelDto), "Point the channel at a bundle version or 'builtin' (also the one-call rollback).");
    public static readonly ManagementRoute DeleteChannel = new(nameof(ChannelFunctions.DeleteChannel), "delete", Channel, ApiRole.Write, 204, null, null, "Delete a channel; 409 while it is the default or a device override names it.");

    public static readonly ManagementRoute StartUpload = new(nameof(BundleFunctions.StartUpload), "post", Bundles, ApiRole.Upload, 201, typeof(CreateBundleRequest), typeof(UploadTicketDto), "Announce an upload: 201 with a 15-minute write SAS for a staging blob; 200 with the bundle when this version was committed with the same sha256; 409 when with different bytes.");
    public static readonly ManagementRoute CommitUpload = new(nameof(BundleFunctions.CommitUpload), "post", BundleCommit, ApiRole.Upload, 200, null, typeof(BundleDto), "Verify size and SHA-256 of the staged zip, store it content-addressed and immutable, build its per-file manifest (partial updates), then make the version visible.");
    public static readonly ManagementRoute ListBundles = new(nameof(BundleFunctions.ListBundles), "get", Bundles, ApiRole.Read, 200, null, typeof(List<BundleDto>), "The app's bundles, newest version first.");
    public static readonly ManagementRoute GetBundle = new(nameof(BundleFunctions.GetBundle), "get", Bundle, ApiRole.Read, 200, null, typeof(BundleDto), "One bundle, with its ETag.");
    public static readonly ManagementRoute DeleteBundle = new(nameof(BundleFunctions.DeleteBundle), "delete", Bundle, ApiRole.Write, 204, null, null, "Delete a bundle version; 409 while a channel or a device pin uses it.");

    public static readonly ManagementRoute PutDevice = new(nameof(DeviceFunctions.PutDevice), "put", Device, ApiRole.Write, 200, typeof(PutDeviceRequest), typeof(DeviceDto), "Set a device's admin channel override and/or bundle pin.");
    public static readonly ManagementRoute DeleteDevice = new(nameof(DeviceFunctions.DeleteDevice), "delete", Device, ApiRole.Write, 204, null, null, "Remove a device's override and pin (a self-assignment stays).");
    public static readonly ManagementRoute GetDevice = new(nameof(DeviceFunctions.GetDevice), "get", Device, ApiRole.Read, 200, null, typeof(DeviceDto), "A device's record and effective channel, and why (query: platform, defaultChannel).");

    public static readonly ManagementRoute CreateKey = new(nameof(KeyFunctions.CreateKey), "post", Keys, ApiRole.Admin, 201, typeof(CreateKeyRequest), typeof(CreatedKeyDto), "Mint an API key; the secret is in this answer only.");
    public static readonly ManagementRoute ListKeys = new(nameof(KeyFunctions.ListKeys), "get", Keys, ApiRole.Admin, 200, null, typeof(List<KeyDto>), "The usable keys, without secrets.");
    public static readonly ManagementRoute RevokeKey = new(nameof(KeyFunctions.RevokeKey), "delete", Key, ApiRole.Admin, 204, null, null, "Revoke a key: at once on this instance, within the refresh interval on the others.");

    public static readonly ManagementRoute ListAudit = new(nameof(AuditFunction.ListAudit), "get", Audit, ApiRole.Read, 200, null, typeof(List<AuditDto>), "Audit entries, newest first (query: app, top ≤ 1000, default 50).");

    public static readonly ManagementRoute GetMetrics = new(nameof(MetricsFunction.GetMetrics), "get", Metrics, ApiRole.Read, 200, null, typeof(UpdateFunctions.Core.Telemetry.MetricsReport), "Update adoption, success and failure rates and sessions, summed across partitions (query: from, to (ISO 8601; default the last 24 h), groupBy = channel,platform,bundle,segment, interval = hour|day|total, segment).");

    public static readonly ManagementRoute ListSegments = new(nameof(SegmentFunctions.ListSegments), "get", Segments, ApiRole.Read, 200, null, typeof(List<System.Text.Json.JsonElement>), "The app's segments (named device groups: conditions over platform, versions, custom_id, channel, build flags, device ids; match all or any).");
    public static readonly ManagementRoute GetSegment = new(nameof(SegmentFunctions.GetSegment), "get", Segment, ApiRole.Read, 200, null, typeof(System.Text.Json.JsonElement), "One segment, with its ETag.");
    public static readonly ManagementRoute PutSegment = new(nameof(SegmentFunctions.PutSegment), "put", Segment, ApiRole.Write, 200, typeof(System.Text.Json.JsonElement), typeof(System.Text.Json.JsonElement), "Create (201) or replace (200, If-Match honoured) a segment: {\"match\":\"all|any\",\"conditions\":[…]}.");
    public static readonly ManagementRoute DeleteSegment = new(nameof(SegmentFunctions.DeleteSegment), "delete", Segment, ApiRole.Write, 204, null, null, "Delete a segment.");
    public static readonly ManagementRoute MatchSegment = new(nameof(SegmentFunctions.MatchSegment), "post", SegmentMatch, ApiRole.Read, 200, typeof(System.Text.Json.JsonElement), typeof(SegmentMatchDto), "Explain whether a device (the plugin's device info in the body) is in the segment, condition by condition.");

    public static readonly ManagementRoute CreateRollout = new(nameof(RolloutFunctions.CreateRollout), "post", Rollouts, ApiRole.Write, 201, typeof(CreateRolloutRequest), typeof(System.Text.Json.JsonElement), "Create a staged rollout of a bundle on a channel (a draft, or running with start:true); 409 rollout_active while another draft, running or paused rollout holds the channel. The baseline is the bundle the channel serves.");
    public static readonly ManagementRoute ListRollouts = new(nameof(RolloutFunctions.ListRollouts), "get", Rollouts, ApiRole.Read, 200, null, typeof(List<System.Text.Json.JsonElement>), "The app's rollouts, newest first (query: channel, state).");
    public static readonly ManagementRoute GetRollout = new(nameof(RolloutFunctions.GetRollout), "get", Rollout, ApiRole.Read, 200, null, typeof(System.Text.Json.JsonElement), "One rollout with its ETag, history (every decision with its numbers) and status: live health of each gated segment and what the timer would decide now.");
    public static readonly ManagementRoute ActOnRollout = new(nameof(RolloutFunctions.ActOnRollout), "post", RolloutAction, ApiRole.Write, 200, null, typeof(System.Text.Json.JsonElement), "action = start | pause | resume | advance | halt | rollback | complete (If-Match honoured); 409 invalid_transition when the state does not allow it.");
    public static readonly ManagementRoute SetRolloutPercentage = new(nameof(RolloutFunctions.SetRolloutPercentage), "put", RolloutPercentage, ApiRole.Write, 200, typeof(SetRolloutPercentageRequest), typeof(System.Text.Json.JsonElement), "Set a running or paused rollout's percentage by hand (1-100; the step clock restarts).");
    public static readonly ManagementRoute DeleteRollout = new(nameof(RolloutFunctions.DeleteRollout), "delete", Rollout, ApiRole.Write, 204, null, null, "Delete a draft rollout (one that ran stays as the record of what happened).");

    public static readonly ManagementRoute GetOpenApi = new(nameof(OpenApiFunction.GetOpenApi), "get", OpenApi, null, 200, null, null, "This document.");

    public static readonly ManagementRoute CreateCodePushRelease = new(nameof(CodePushManagementFunctions.CreateCodePushRelease), "post", CodePushReleases, ApiRole.Upload, 201, typeof(CreateCodePushReleaseRequest), typeof(CodePushReleaseDto), "Release a committed bundle to React Native devices of a channel: label vN, target binary range, mandatory, description; its CodePush package hash is computed from the zip. Below 100 % rollout a staged rollout starts.");
    public static readonly ManagementRoute ListCodePushReleases = new(nameof(CodePushManagementFunctions.ListCodePushReleases), "get", CodePushReleases, ApiRole.Read, 200, null, typeof(List<CodePushReleaseDto>), "The app's CodePush releases, per channel, newest first (query: channel).");
    public static readonly ManagementRoute PatchCodePushRelease = new(nameof(CodePushManagementFunctions.PatchCodePushRelease), "patch", CodePushRelease, ApiRole.Write, 200, typeof(PatchCodePushReleaseRequest), typeof(CodePushReleaseDto), "Change a release's mandatory or disabled flag, description or target binary range.");
    public static readonly ManagementRoute RollbackCodePush = new(nameof(CodePushManagementFunctions.RollbackCodePush), "post", CodePushRollback, ApiRole.Write, 200, null, typeof(CodePushReleaseDto), "Make the previous enabled release (or query 'to', a label) current again; the releases stepped back over are never served again.");
    public static readonly ManagementRoute CreateDeploymentKey = new(nameof(CodePushManagementFunctions.CreateDeploymentKey), "post", CodePushKeys, ApiRole.Admin, 201, typeof(CreateDeploymentKeyRequest), typeof(DeploymentKeyDto), "Mint a deployment key for a channel and platform; the key is in this answer only.");
    public static readonly ManagementRoute ListDeploymentKeys = new(nameof(CodePushManagementFunctions.ListDeploymentKeys), "get", CodePushKeys, ApiRole.Read, 200, null, typeof(List<DeploymentKeyDto>), "The app's deployment keys, without the keys (query: channel).");
    public static readonly ManagementRoute RotateDeploymentKey = new(nameof(CodePushManagementFunctions.RotateDeploymentKey), "post", CodePushKeyRotate, ApiRole.Admin, 200, null, typeof(DeploymentKeyDto), "A new key for the same id, channel and platform; the old key stops working.");
    public static readonly ManagementRoute DeleteDeploymentKey = new(nameof(CodePushManagementFunctions.DeleteDeploymentKey), "delete", CodePushKey, ApiRole.Admin, 204, null, null, "Delete a deployment key; devices using it get deployment_key_not_found.");

    public static IReadOnlyList<ManagementRoute> All { get; } =
    [
        CreateApp, ListApps, GetApp, PatchApp,
        CreateChannel, ListChannels, GetChannel, PatchChannel, SetChannelBundle, DeleteChannel,
        StartUpload, CommitUpload, ListBundles, GetBundle, DeleteBundle,
        PutDevice, DeleteDevice, GetDevice,
        CreateKey, ListKeys, RevokeKey,
        ListAudit,
        GetMetrics,
        ListSegments, GetSegment, PutSegment, DeleteSegment, MatchSegment,
        CreateRollout, ListRollouts, GetRollout, ActOnRollout, SetRolloutPercentage, DeleteRollout,
        CreateCodePushRelease, ListCodePushReleases, PatchCodePushRelease, RollbackCodePush,
        CreateDeploymentKey, ListDeploymentKeys, RotateDeploymentKey, DeleteDeploymentKey,
        GetOpenApi,
    ];
}
