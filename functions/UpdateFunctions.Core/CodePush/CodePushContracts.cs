namespace UpdateFunctions.Core.CodePush;

/// <summary>Releases a committed bundle on a channel for React Native devices (<c>POST /api/v1/apps/{app}/codepush/releases</c>).</summary>
/// <param name="Bundle">Version of a committed bundle of the app (upload it first, as for Capgo).</param>
/// <param name="TargetBinary">npm semver range of the binary versions it is for: <c>1.2.x</c>, <c>^1.2.0</c>, <c>&gt;=1.0.0 &lt;2.0.0</c>.</param>
/// <param name="Rollout">Percentage of the channel's devices that get it at first (1-100); below 100 a staged
/// rollout (bucketed on <c>client_unique_id</c>, health-gated, widened or halted by the timer) starts at it.</param>
/// <param name="RolloutGates">The staged rollout's health gates (defaults as for any rollout).</param>
public sealed record CreateCodePushReleaseRequest(
    string? Channel = null,
    string? Bundle = null,
    string? TargetBinary = null,
    bool? Mandatory = null,
    bool? Disabled = null,
    string? Description = null,
    int? Rollout = null,
    Management.RolloutGatesRequest? RolloutGates = null);

/// <summary>Changes a release's flags (<c>PATCH …/codepush/releases/{channel}/{label}</c>); absent fields stay.</summary>
public sealed record PatchCodePushReleaseRequest(
    bool? Mandatory = null,
    bool? Disabled = null,
    string? Description = null,
    string? TargetBinary = null);

/// <summary>A CodePush release as the management API shows it.</summary>
/// <param name="Current">Whether the channel serves it now (its bundle is the channel's, or a rollout's target).</param>
/// <param name="Rollout">Id of the rollout started for it, when it was released to a percentage.</param>
public sealed record CodePushReleaseDto(
    string Channel,
    string Label,
    string Bundle,
    string TargetBinary,
    string PackageHash,
    long Size,
    bool Mandatory,
    bool Disabled,
    string? Description,
    DateTimeOffset? CreatedAt,
    bool RolledBack,
    string? ReleasedBy,
    bool Current,
    string? Rollout = null);

/// <summary>Mints a deployment key for one channel and platform (<c>POST /api/v1/apps/{app}/codepush/keys</c>).</summary>
public sealed record CreateDeploymentKeyRequest(string? Channel = null, string? Platform = null, string? Name = null);

/// <param name="Key">The key itself: only in the answer that created or rotated it (only its hash is stored).</param>
public sealed record DeploymentKeyDto(
    string Id,
    string App,
    string Channel,
    string Platform,
    string Name,
    DateTimeOffset CreatedAt,
    string? Key = null);
