using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// CodePush releases over the shared machinery: a release is a committed bundle plus its CodePush metadata, and it
/// becomes current the way any bundle does — the channel's bundle is set to it, or a staged rollout to it starts — so
/// Capgo and React Native devices of a channel follow the same rollouts, gates and halts. A rollback marks the releases
/// it steps back over (never served again, whatever their flags) and sets the channel back to the previous release.
/// </summary>
public sealed class CodePushReleaseService(
    ICodePushStore store,
    ICatalogStore catalog,
    IBundleFileStore files,
    CodePushDirectory directory,
    ChannelService channels,
    RolloutService rollouts,
    ManagementChanges changes,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    public async Task<ManagementResult<JsonElement>> CreateAsync(
        ManagementCaller caller, string appId, CreateCodePushReleaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceInfoReader.IsValidChannelName(request.Channel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'channel' is required: the channel (CodePush deployment) to release on.");
        if (!BundleVersion.IsValid(request.Bundle))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'bundle' is required: the version of a committed bundle of the app.");
        if (ValidateFields(request.TargetBinary ?? "", request.Description) is { } invalid)
            return invalid;
        if (request.Rollout is { } percent && percent is < 1 or > 100)
            return ManagementError.Invalid(ManagementErrors.InvalidPercentage, "'rollout' is a percentage from 1 to 100.");
        var staged = request.Rollout is < 100;

        var channel = await catalog.GetChannelAsync(appId, request.Channel!, cancellationToken);
        if (channel is null)
            return await catalog.GetAppAsync(appId, cancellationToken) is null ? AppNotFound(appId) : ChannelNotFound(appId, request.Channel!);
        if (channel.Value.ActiveRollout is { } holder && await HoldsAsync(appId, holder, cancellationToken))
            return ManagementError.Conflict(ManagementErrors.RolloutActive, $"Rollout '{holder}' holds channel '{channel.Value.Name}': complete, halt or roll it back first.");
        if (staged && channel.Value.Bundle is null)
            return ManagementError.Conflict($"Channel '{channel.Value.Name}' serves nothing yet, so there is no baseline to roll out from: release to 100 % first.");
        var bundle = (await catalog.GetBundleAsync(appId, request.Bundle!, cancellationToken))?.Value;
        if (bundle is null)
            return ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{request.Bundle}' does not exist in app '{appId}'.");
        if (bundle.BlobPath is null || bundle.IsEncrypted)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "A CodePush release needs an unencrypted bundle stored here: its content hash is computed from the zip.");

        string packageHash;
        await using (var zip = await files.OpenBundleAsync(bundle.BlobPath, cancellationToken))
            packageHash = await CodePushPackageHash.ComputeAsync(zip, cancellationToken);

        CodePushRelease? release = null;
        for (var attempt = 0; release is null; attempt++)
        {
            var history = (await store.ListReleasesAsync(appId, cancellationToken)).Select(r => r.Value).Where(r => r.Channel == request.Channel).ToList();
            var latest = history.Where(r => !r.RolledBack).MaxBy(r => r.Number);
            if (latest is not null && latest.PackageHash == packageHash && latest.TargetBinaryRange == request.TargetBinary)
                return ManagementError.Conflict($"This content is already release {latest.Label} of channel '{request.Channel}' for {latest.TargetBinaryRange}.");
            var candidate = new CodePushRelease(request.Channel!, history.Count == 0 ? 1 : history.Max(r => r.Number) + 1, bundle.Version,
                request.TargetBinary!, packageHash, bundle.Size, request.Mandatory ?? false, request.Disabled ?? false,
                request.Description, clock.GetUtcNow(), false, caller.KeyId);
            try
            {
                await store.PutReleaseAsync(appId, candidate, WriteCondition.Create, cancellationToken);
                release = candidate;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another release took this label: number again.
            }
        }
        directory.Invalidate(appId);

        string? rolloutId = null;
        if (staged)
        {
            var started = await rollouts.CreateRolloutAsync(caller, appId,
                new CreateRolloutRequest(release.Channel, release.Bundle, Steps: [request.Rollout!.Value, 100], Gates: request.RolloutGates, Start: true), cancellationToken);
            if (started.Error is { } refused)
                return refused;
            rolloutId = started.Value.GetProperty("id").GetString();
        }
        else
        {
            var set = await channels.SetChannelBundleAsync(caller, appId, release.Channel, new SetChannelBundleRequest(release.Bundle), null, cancellationToken);
            if (set.Error is { } refused)
                return refused;
        }
        await AuditAsync(caller, "codepush.release.create", appId, release, cancellationToken);
        return ManagementResult.Created(ToJson(release, current: true, rolloutId));
    }

    public async Task<ManagementResult<JsonElement>> ListAsync(string appId, string? channel, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var releases = (await store.ListReleasesAsync(appId, cancellationToken))
            .Select(r => r.Value)
            .Where(r => channel is null || r.Channel == channel)
            .OrderBy(r => r.Channel, StringComparer.Ordinal).ThenByDescending(r => r.Number)
            .Select(r => Dto(r, IsCurrent(snapshot, r), null))
            .ToList();
        return ManagementResult.Ok(JsonSerializer.SerializeToElement(releases, Json.ListCodePushReleaseDto));
    }

    public async Task<ManagementResult<JsonElement>> PatchAsync(
        ManagementCaller caller, string appId, string channel, string label, PatchCodePushReleaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (request.TargetBinary is not null || request.Description is not null)
        {
            if (ValidateFields(request.TargetBinary ?? "*", request.Description) is { } invalid)
                return invalid;
        }
        for (var attempt = 0; ; attempt++)
        {
            if (await FindAsync(appId, channel, label, cancellationToken) is not { } found)
                return ReleaseNotFound(appId, channel, label);
            var next = found.Value with
            {
                IsMandatory = request.Mandatory ?? found.Value.IsMandatory,
                IsDisabled = request.Disabled ?? found.Value.IsDisabled,
                Description = request.Description ?? found.Value.Description,
                TargetBinaryRange = request.TargetBinary ?? found.Value.TargetBinaryRange,
            };
            try
            {
                await store.PutReleaseAsync(appId, next, WriteCondition.Matching(found.ETag), cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                continue;
            }
            directory.Invalidate(appId);
            await AuditAsync(caller, "codepush.release.update", appId, next, cancellationToken);
            var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
            return ManagementResult.Ok(ToJson(next, snapshot is not null && IsCurrent(snapshot, next), null));
        }
    }

    /// <summary>
    /// Makes the release before the channel's current one (or <paramref name="toLabel"/>) current again. The releases
    /// stepped back over are marked rolled back first, so re-enabling or disabling them later changes nothing.
    /// </summary>
    public async Task<ManagementResult<JsonElement>> RollbackAsync(
        ManagementCaller caller, string appId, string channelName, string? toLabel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (toLabel is not null && !CodePushRelease.TryParseLabel(toLabel, out _))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'to' is a release label such as v3.");
        var channel = await catalog.GetChannelAsync(appId, channelName, cancellationToken);
        if (channel is null)
            return await catalog.GetAppAsync(appId, cancellationToken) is null ? AppNotFound(appId) : ChannelNotFound(appId, channelName);
        if (channel.Value.ActiveRollout is { } holder && await HoldsAsync(appId, holder, cancellationToken))
            return ManagementError.Conflict(ManagementErrors.RolloutActive, $"Rollout '{holder}' holds channel '{channelName}': roll the rollout back instead.");

        var history = (await store.ListReleasesAsync(appId, cancellationToken)).Where(r => r.Value.Channel == channelName)
            .OrderBy(r => r.Value.Number).ToList();
        var head = history.LastOrDefault(r => r.Value.Bundle == channel.Value.Bundle);
        if (head is null)
            return ManagementError.Conflict($"Channel '{channelName}' does not serve a CodePush release now.");
        var target = toLabel is null
            ? history.LastOrDefault(r => r.Value.Number < head.Value.Number && !r.Value.IsDisabled && !r.Value.RolledBack)
            : history.FirstOrDefault(r => r.Value.Label == toLabel && r.Value.Number < head.Value.Number && !r.Value.RolledBack);
        if (target is null)
            return ManagementError.Conflict(toLabel is null
                ? $"Channel '{channelName}' has no enabled release before {head.Value.Label} to roll back to."
                : $"{toLabel} is not a release before {head.Value.Label} on channel '{channelName}' that can be rolled back to.");

        foreach (var passed in history.Where(r => r.Value.Number > target.Value.Number && r.Value.Number <= head.Value.Number && !r.Value.RolledBack))
            await store.PutReleaseAsync(appId, passed.Value with { RolledBack = true }, WriteCondition.Matching(passed.ETag), cancellationToken);
        directory.Invalidate(appId);
        var set = await channels.SetChannelBundleAsync(caller, appId, channelName, new SetChannelBundleRequest(target.Value.Bundle), null, cancellationToken);
        if (set.Error is { } refused)
            return refused;
        await AuditAsync(caller, "codepush.release.rollback", appId, target.Value, cancellationToken);
        return ManagementResult.Ok(ToJson(target.Value, current: true, null));
    }

    private async Task<Versioned<CodePushRelease>?> FindAsync(string appId, string channel, string label, CancellationToken cancellationToken) =>
        (await store.ListReleasesAsync(appId, cancellationToken)).FirstOrDefault(r => r.Value.Channel == channel && r.Value.Label == label);

    /// <summary>Whether a rollout still holds a channel (a pointer to one that ended is stale).</summary>
    private async Task<bool> HoldsAsync(string appId, string rolloutId, CancellationToken cancellationToken) =>
        (await catalog.ListRolloutsAsync(appId, cancellationToken))
            .Any(r => r.Value.Id == rolloutId && r.Value.State is RolloutState.Draft or RolloutState.Running or RolloutState.Paused);

    private static bool IsCurrent(AppSnapshot snapshot, CodePushRelease release)
    {
        if (snapshot.FindChannel(release.Channel) is not { } channel || release.RolledBack)
            return false;
        return channel.Bundle == release.Bundle
            || snapshot.FindRolloutPlan(channel.Name)?.Rollout is { State: RolloutState.Running or RolloutState.Paused } rollout && rollout.TargetBundle == release.Bundle;
    }

    private static ManagementError? ValidateFields(string targetBinary, string? description)
    {
        if (!BinaryVersions.TryParseRange(targetBinary, out _))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion,
                $"'targetBinary' is required: an npm semver range of binary versions (1.2.x, ^1.2.0, >=1.0.0 <2.0.0), at most {BinaryVersions.MaxRangeLength} characters.");
        if (description is { Length: > CodePushRelease.MaxDescriptionLength })
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'description' is at most {CodePushRelease.MaxDescriptionLength} characters.");
        return null;
    }

    private Task AuditAsync(ManagementCaller caller, string action, string appId, CodePushRelease release, CancellationToken cancellationToken) =>
        changes.AuditAsync(caller, action, appId, $"apps/{appId}/codepush/releases/{release.Channel}/{release.Label}", null,
            Dto(release, false, null), Json.CodePushReleaseDto, cancellationToken);

    private static JsonElement ToJson(CodePushRelease release, bool current, string? rollout) =>
        JsonSerializer.SerializeToElement(Dto(release, current, rollout), Json.CodePushReleaseDto);

    private static CodePushReleaseDto Dto(CodePushRelease r, bool current, string? rollout) =>
        new(r.Channel, r.Label, r.Bundle, r.TargetBinaryRange, r.PackageHash, r.Size, r.IsMandatory, r.IsDisabled, r.Description,
            r.CreatedAt, r.RolledBack, r.ReleasedBy, current, rollout);

    private static ManagementError AppNotFound(string appId) =>
        ManagementError.NotFound(ManagementErrors.AppNotFound, $"App '{appId}' does not exist.");

    private static ManagementError ChannelNotFound(string appId, string channel) =>
        ManagementError.NotFound(ManagementErrors.ChannelNotFound, $"Channel '{channel}' does not exist in app '{appId}'.");

    private static ManagementError ReleaseNotFound(string appId, string channel, string label) =>
        ManagementError.NotFound(ManagementErrors.NotFound, $"Channel '{channel}' of app '{appId}' has no release {label}.");
}
