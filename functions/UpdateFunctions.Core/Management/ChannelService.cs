using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Versions;
using static UpdateFunctions.Core.Management.ManagementRefusals;
using static UpdateFunctions.Core.Management.ManagementChanges;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Channels: create, list, read, change their switches and bundle, delete; a channel held by a rollout keeps its bundle.
/// </summary>
public sealed class ChannelService(ManagementChanges changes, ICatalogStore catalog)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    public async Task<ManagementResult<ChannelDto>> CreateChannelAsync(
        ManagementCaller caller, string appId, ChannelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceInfoReader.IsValidChannelName(request.Name))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'name' is required: a channel name (letters, digits, space, '.', '_', '-').");
        if (request.Public == false)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'public' may only be true: a channel becomes private when another one is made public.");

        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var applied = Apply(new ChannelDefinition(request.Name!, 0, null), request);
        if (applied.Error is { } invalid)
            return invalid;
        if (await CheckBundleAsync(appId, applied.Value!, cancellationToken) is { } refused)
            return refused;

        var channel = applied.Value! with { Id = snapshot.Channels.Values.Select(c => c.Id).DefaultIfEmpty(0).Max() + 1 };
        string etag;
        try
        {
            etag = await catalog.PutChannelAsync(appId, channel, WriteCondition.Create, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Conflict($"Channel '{channel.Name}' exists already in app '{appId}'.");
        }

        var defaultChannel = snapshot.App.DefaultChannel;
        if (request.Public == true)
        {
            var made = await MakeDefaultAsync(caller, appId, channel.Name, cancellationToken);
            if (made.Error is { } error)
                return error;
            defaultChannel = channel.Name;
        }

        await changes.AuditAsync(caller, "channel.create", appId, $"apps/{appId}/channels/{channel.Name}", null,
            channel.ToDto(defaultChannel), Json.ChannelDto, cancellationToken);
        changes.Invalidate(appId);
        return ManagementResult.Created(channel.ToDto(defaultChannel), etag);
    }

    public async Task<ManagementResult<List<ChannelDto>>> ListChannelsAsync(string appId, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        return ManagementResult.Ok(snapshot.Channels.Values.OrderBy(c => c.Id).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => c.ToDto(snapshot.App.DefaultChannel)).ToList());
    }

    public async Task<ManagementResult<ChannelDto>> GetChannelAsync(string appId, string channelName, CancellationToken cancellationToken)
    {
        var app = await catalog.GetAppAsync(appId, cancellationToken);
        if (app is null)
            return AppNotFound(appId);
        var channel = await catalog.GetChannelAsync(appId, channelName, cancellationToken);
        return channel is null
            ? ChannelNotFound(appId, channelName)
            : ManagementResult.Ok(channel.Value.ToDto(app.Value.DefaultChannel), channel.ETag);
    }

    public async Task<ManagementResult<ChannelDto>> PatchChannelAsync(
        ManagementCaller caller, string appId, string channelName, ChannelRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name is not null && !string.Equals(request.Name, channelName, StringComparison.Ordinal))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "A channel cannot be renamed: create a new one.");

        var app = await catalog.GetAppAsync(appId, cancellationToken);
        if (app is null)
            return AppNotFound(appId);
        var defaultChannel = app.Value.DefaultChannel;
        if (request.Public == false && string.Equals(defaultChannel, channelName, StringComparison.Ordinal))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "The default channel stays public until another channel is made public.");

        var result = await changes.UpdateAsync(caller, "channel.update", appId, $"apps/{appId}/channels/{channelName}", ifMatch,
            ct => ReadChannelAsync(appId, channelName, ct),
            async (current, ct) =>
            {
                var applied = Apply(current, request);
                if (applied.Error is null && await CheckBundleAsync(appId, applied.Value!, ct) is { } refused)
                    return refused;
                if (applied.Error is null && applied.Value!.Bundle != current.Bundle && await CheckNoActiveRolloutAsync(appId, current, ct) is { } held)
                    return held;
                return applied;
            },
            (next, condition, ct) => catalog.PutChannelAsync(appId, next, condition, ct),
            c => c.ToDto(defaultChannel), Json.ChannelDto, cancellationToken);
        if (result.Error is null && request.Public == true)
        {
            var made = await MakeDefaultAsync(caller, appId, channelName, cancellationToken);
            if (made.Error is { } error)
                return error;
            return result with { Value = result.Value! with { Public = true } };
        }
        return result;
    }

    public async Task<ManagementResult<ChannelDto>> SetChannelBundleAsync(
        ManagementCaller caller, string appId, string channelName, SetChannelBundleRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Version != BundleVersion.Builtin && !BundleVersion.IsValid(request.Version))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'version' must be a strict semver version or 'builtin'.");
        var app = await catalog.GetAppAsync(appId, cancellationToken);
        if (app is null)
            return AppNotFound(appId);
        if (await changes.CheckBundleExistsAsync(appId, request.Version, cancellationToken) is { } missing)
            return missing;

        return await changes.UpdateAsync(caller, "channel.bundle", appId, $"apps/{appId}/channels/{channelName}", ifMatch,
            ct => ReadChannelAsync(appId, channelName, ct),
            async (current, ct) =>
            {
                if (await CheckNoActiveRolloutAsync(appId, current, ct) is { } held)
                    return held;
                var next = current with { Bundle = request.Version, ActiveRollout = null };
                return await CheckBundleAsync(appId, next, ct) is { } refused ? refused : Change.To(next);
            },
            (next, condition, ct) => catalog.PutChannelAsync(appId, next, condition, ct),
            c => c.ToDto(app.Value.DefaultChannel), Json.ChannelDto, cancellationToken);
    }

    /// <summary>
    /// Refused while the channel is the app's default, a device override names it or a rollout holds it. The device rows of the app are
    /// read in full to find overrides: fine at the scale of admin-managed overrides (hundreds, not millions).
    /// </summary>
    public async Task<ManagementResult<NoContent>> DeleteChannelAsync(
        ManagementCaller caller, string appId, string channelName, string? ifMatch, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var channel = await catalog.GetChannelAsync(appId, channelName, cancellationToken);
        if (channel is null)
            return ChannelNotFound(appId, channelName);
        if (ifMatch is not null && !ETagMatches(ifMatch, channel.ETag))
            return ManagementError.Stale($"Channel '{channelName}' changed since it was read.");
        if (string.Equals(snapshot.App.DefaultChannel, channelName, StringComparison.Ordinal))
            return ManagementError.Conflict($"Channel '{channelName}' is the default channel of app '{appId}': make another channel the default first.");
        if (await CheckNoActiveRolloutAsync(appId, channel.Value, cancellationToken) is { } held)
            return held;
        var users = snapshot.Devices.Values.Where(d => string.Equals(d.OverrideChannel, channelName, StringComparison.Ordinal)).Select(d => d.DeviceId).Order(StringComparer.Ordinal).ToList();
        if (users.Count > 0)
            return ManagementError.Conflict($"Channel '{channelName}' is named by the override of {users.Count} device(s), e.g. '{users[0]}': remove them first.");

        try
        {
            await catalog.DeleteChannelAsync(appId, channelName, WriteCondition.Matching(channel.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Stale($"Channel '{channelName}' changed while it was being deleted; read it again.");
        }

        await changes.AuditAsync(caller, "channel.delete", appId, $"apps/{appId}/channels/{channelName}",
            channel.Value.ToDto(snapshot.App.DefaultChannel), null, Json.ChannelDto, cancellationToken);
        changes.Invalidate(appId);
        return NoContent.Result;
    }

    private Task<ManagementResult<AppDto>> MakeDefaultAsync(ManagementCaller caller, string appId, string channelName, CancellationToken cancellationToken) =>
        changes.UpdateAsync(caller, "app.update", appId, $"apps/{appId}", null,
            ct => changes.ReadAppAsync(appId, ct),
            (current, _) => Task.FromResult(Change.To(current with { DefaultChannel = channelName })),
            (next, condition, ct) => catalog.PutAppAsync(next, condition, ct),
            a => a.ToDto(), Json.AppDto, cancellationToken);

    private async Task<ManagementResult<Versioned<ChannelDefinition>>> ReadChannelAsync(string appId, string channelName, CancellationToken cancellationToken) =>
        await catalog.GetChannelAsync(appId, channelName, cancellationToken) is { } channel
            ? ManagementResult.Ok(channel)
            : await catalog.GetAppAsync(appId, cancellationToken) is null ? AppNotFound(appId) : ChannelNotFound(appId, channelName);

    /// <summary>
    /// The channel's bundle must exist, and a channel with partial updates cannot serve an encrypted bundle: Capgo
    /// encrypts such a bundle's files one by one and RSA-encrypts each file hash with the owner's private key, which
    /// never reaches this server, so there is no manifest a device holding the public key would accept.
    /// </summary>
    private async Task<ManagementError?> CheckBundleAsync(string appId, ChannelDefinition channel, CancellationToken cancellationToken)
    {
        if (channel.Bundle is null || channel.Bundle == BundleVersion.Builtin)
            return null;
        var bundle = await catalog.GetBundleAsync(appId, channel.Bundle, cancellationToken);
        if (bundle is null)
            return ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{channel.Bundle}' does not exist in app '{appId}'.");
        if (channel.PartialUpdates && bundle.Value.IsEncrypted)
        {
            return new ManagementError(ManagementErrorKind.Conflict, ManagementErrors.PartialUpdatesUnavailable,
                $"Bundle {channel.Bundle} is encrypted, so it has no manifest: its files would have to be encrypted one by one and their " +
                $"hashes signed with the owner's private key, which the server never holds. Turn partialUpdates off on channel " +
                $"'{channel.Name}', or serve an unencrypted bundle.");
        }
        return null;
    }

    /// <summary>409 when <paramref name="channel"/> is held by a rollout that is not over (used by bundle-changing calls).</summary>
    private async Task<ManagementError?> CheckNoActiveRolloutAsync(string appId, ChannelDefinition channel, CancellationToken cancellationToken) =>
        await RolloutChannelLock.HolderAsync(catalog, appId, channel, cancellationToken) is { } holder
            ? RolloutHolds(channel.Name, holder)
            : null;

    private static Change<ChannelDefinition> Apply(ChannelDefinition channel, ChannelRequest request)
    {
        var policy = channel.DisableAutoUpdate;
        if (request.DisableAutoUpdate is { } wire && !AutoUpdatePolicyNames.TryParse(wire, out policy))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'disableAutoUpdate' must be one of none, major, minor, patch, version_number.");
        if (request.Bundle is { } bundle && bundle != BundleVersion.Builtin && !BundleVersion.IsValid(bundle))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'bundle' must be a strict semver version or 'builtin'.");

        return Change.To(channel with
        {
            Bundle = request.Bundle ?? channel.Bundle,
            Ios = request.Ios ?? channel.Ios,
            Android = request.Android ?? channel.Android,
            Electron = request.Electron ?? channel.Electron,
            AllowDeviceSelfSet = request.AllowDeviceSelfSet ?? channel.AllowDeviceSelfSet,
            AllowEmulator = request.AllowEmulator ?? channel.AllowEmulator,
            AllowDevice = request.AllowDevice ?? channel.AllowDevice,
            AllowDev = request.AllowDev ?? channel.AllowDev,
            AllowProd = request.AllowProd ?? channel.AllowProd,
            DisableAutoUpdate = policy,
            DisableAutoUpdateUnderNative = request.DisableAutoUpdateUnderNative ?? channel.DisableAutoUpdateUnderNative,
            PartialUpdates = request.PartialUpdates ?? channel.PartialUpdates,
        });
    }
}
