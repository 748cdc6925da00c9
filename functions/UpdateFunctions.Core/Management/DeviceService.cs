using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;
using UpdateFunctions.Core.Versions;
using static UpdateFunctions.Core.Management.ManagementRefusals;
using static UpdateFunctions.Core.Management.ManagementChanges;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Devices: an admin's channel override and bundle pin, and the channel an update check would resolve now.
/// </summary>
public sealed class DeviceService(ManagementChanges changes, ICatalogStore catalog, UpdateDecider decider)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    /// <summary>Sets the admin override (channel and/or bundle pin) of a device; what is not given is cleared. A self-assignment stays.</summary>
    public async Task<ManagementResult<DeviceDto>> PutDeviceAsync(
        ManagementCaller caller, string appId, string deviceId, PutDeviceRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Channel is not null && !DeviceInfoReader.IsValidChannelName(request.Channel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, $"'channel' is not a valid channel name: '{request.Channel}'.");
        if (request.Bundle is not null && request.Bundle != BundleVersion.Builtin && !BundleVersion.IsValid(request.Bundle))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'bundle' must be a strict semver version or 'builtin'.");
        if (request.Channel is null && request.Bundle is null)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "Give 'channel' and/or 'bundle'; DELETE removes an override.");

        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        if (request.Channel is { } channel && await catalog.GetChannelAsync(appId, channel, cancellationToken) is null)
            return ChannelNotFound(appId, channel);
        if (await changes.CheckBundleExistsAsync(appId, request.Bundle, cancellationToken) is { } missing)
            return missing;

        for (var attempt = 1; ; attempt++)
        {
            var current = await catalog.GetDeviceAsync(appId, deviceId, cancellationToken);
            if (ifMatch is not null && (current is null || !ETagMatches(ifMatch, current.ETag)))
                return ManagementError.Stale($"Device '{deviceId}' changed since it was read.");
            var before = current?.Value;
            var next = (before ?? new DeviceRecord(deviceId)) with { OverrideChannel = request.Channel, PinnedBundle = request.Bundle };
            try
            {
                var etag = await catalog.PutDeviceAsync(appId, next,
                    current is null ? WriteCondition.Create : WriteCondition.Matching(current.ETag), cancellationToken);
                var dto = await DescribeDeviceAsync(appId, next, null, null, cancellationToken);
                var beforeDto = before is null ? null : await DescribeDeviceAsync(appId, before, null, null, cancellationToken);
                await changes.AuditAsync(caller, "device.update", appId, $"apps/{appId}/devices/{deviceId}", beforeDto, dto, Json.DeviceDto, cancellationToken);
                changes.Invalidate(appId);
                return ManagementResult.Ok(dto, etag);
            }
            catch (ConcurrencyConflictException) when (ifMatch is null && attempt < MaxAttempts)
            {
            }
            catch (ConcurrencyConflictException)
            {
                return ManagementError.Stale($"Device '{deviceId}' changed while it was being updated; read it again.");
            }
        }
    }

    /// <summary>Removes the admin override and pin; a self-assigned channel stays (and the row with it).</summary>
    public async Task<ManagementResult<NoContent>> DeleteDeviceAsync(
        ManagementCaller caller, string appId, string deviceId, string? ifMatch, CancellationToken cancellationToken)
    {
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        for (var attempt = 1; ; attempt++)
        {
            var current = await catalog.GetDeviceAsync(appId, deviceId, cancellationToken);
            if (current is null || (current.Value.OverrideChannel is null && current.Value.PinnedBundle is null))
                return ManagementError.NotFound(ManagementErrors.DeviceNotFound, $"Device '{deviceId}' has no override in app '{appId}'.");
            if (ifMatch is not null && !ETagMatches(ifMatch, current.ETag))
                return ManagementError.Stale($"Device '{deviceId}' changed since it was read.");

            var next = current.Value with { OverrideChannel = null, PinnedBundle = null };
            try
            {
                var condition = WriteCondition.Matching(current.ETag);
                if (next.IsEmpty)
                    await catalog.DeleteDeviceAsync(appId, deviceId, condition, cancellationToken);
                else
                    await catalog.PutDeviceAsync(appId, next, condition, cancellationToken);
                var before = await DescribeDeviceAsync(appId, current.Value, null, null, cancellationToken);
                await changes.AuditAsync(caller, "device.delete", appId, $"apps/{appId}/devices/{deviceId}", before, null, Json.DeviceDto, cancellationToken);
                changes.Invalidate(appId);
                return NoContent.Result;
            }
            catch (ConcurrencyConflictException) when (ifMatch is null && attempt < MaxAttempts)
            {
            }
            catch (ConcurrencyConflictException)
            {
                return ManagementError.Stale($"Device '{deviceId}' changed while it was being updated; read it again.");
            }
        }
    }

    /// <summary>
    /// A device's record and the channel an update check would resolve for it now, and why. The query may carry what the
    /// device would send (<c>platform</c>, default android; <c>defaultChannel</c>).
    /// </summary>
    public async Task<ManagementResult<DeviceDto>> GetDeviceAsync(
        string appId, string deviceId, string? platform, string? defaultChannel, CancellationToken cancellationToken)
    {
        Platform parsed = Platform.Android;
        if (platform is not null && !PlatformNames.TryParse(platform, out parsed))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'platform' must be ios, android or electron.");
        if (defaultChannel is not null && !DeviceInfoReader.IsValidChannelName(defaultChannel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, $"'defaultChannel' is not a valid channel name: '{defaultChannel}'.");
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        var record = await catalog.GetDeviceAsync(appId, deviceId, cancellationToken);
        var dto = await DescribeDeviceAsync(appId, record?.Value ?? new DeviceRecord(deviceId), parsed, defaultChannel, cancellationToken);
        return ManagementResult.Ok(dto, record?.ETag);
    }

    private async Task<DeviceDto> DescribeDeviceAsync(
        string appId, DeviceRecord record, Platform? platform, string? defaultChannel, CancellationToken cancellationToken)
    {
        // Read from storage rather than the cached snapshot: the answer must reflect the change just made.
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        string? effective = null;
        var reason = "none";
        if (snapshot is not null)
        {
            var withRecord = new AppSnapshot(snapshot.App, snapshot.Channels.Values,
                snapshot.Bundles.Values, snapshot.Devices.Values.Where(d => d.DeviceId != record.DeviceId).Append(record), snapshot.LoadedAt);
            var device = new DeviceInfo(appId, record.DeviceId, platform ?? Platform.Android, "builtin", "0.0.0", DefaultChannel: defaultChannel);
            var resolution = decider.ResolveChannel(withRecord, device);
            effective = resolution.Channel?.Name;
            reason = resolution.Source.ToWire();
        }
        return new DeviceDto(record.DeviceId, record.OverrideChannel, record.PinnedBundle, record.SelfAssignedChannel, effective, reason);
    }
}
