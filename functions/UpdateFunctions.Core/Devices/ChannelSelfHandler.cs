using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Devices;

/// <summary>
/// <c>/channel_self</c>: a device sets (POST), reads (PUT), clears (DELETE) its channel, or lists the channels it
/// may pick (GET). Errors carry <c>{error, message}</c> with a 4xx status: the plugin treats any <c>error</c> as failure.
/// </summary>
public sealed class ChannelSelfHandler(IAppSnapshotSource snapshots, ICatalogStore catalog, UpdateDecider decider, DeviceRateLimiter limiter)
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Guarded writes retry this often on a concurrent change before giving up with 503.</summary>
    private const int MaxWriteAttempts = 5;

    private static readonly DeviceResponse Ok = DeviceResponse.Json(200, new StatusBody("ok"), DeviceJsonContext.Default.StatusBody);

    /// <summary>POST: the device asks to join <c>channel</c>.</summary>
    public async ValueTask<DeviceResponse> SetAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!TryReadBody(body, out var device, out var channelName, out var failure))
            return failure;
        if (channelName is null)
            return DeviceResponse.Error(400, DeviceErrors.MissingChannel, "channel is required.");

        return await WithAppAsync(device, async app =>
        {
            var channel = app.FindChannel(channelName);
            if (channel is null)
                return DeviceResponse.Error(400, DeviceErrors.ChannelNotFound, $"Channel {channelName} does not exist.");

            if (app.IsPublic(channel))
            {
                // Joining the public default is the same as having no override: the plugin forgets its own.
                await UpdateSelfAssignmentAsync(device, null, cancellationToken);
                return DeviceResponse.Json(200, new ChannelSetBody("ok", Unset: true), DeviceJsonContext.Default.ChannelSetBody);
            }
            if (!channel.AllowDeviceSelfSet)
                return DeviceResponse.Error(400, DeviceErrors.ChannelSelfSetNotAllowed, $"Channel {channelName} does not allow devices to assign themselves.");
            if (!channel.IsEnabledFor(device.Platform) || !channel.Admits(device.IsEmulator, device.IsProd))
                return DeviceResponse.Error(400, DeviceErrors.ChannelSelfSetNotAllowed, $"Channel {channelName} is not open to this device ({device.Platform.ToWire()}, {(device.IsEmulator ? "emulator" : "device")}, {(device.IsProd ? "prod" : "dev")} build).");

            if (app.FindDevice(device.DeviceId) is not null || !await TryCreateSelfAssignmentAsync(device, channel.Name, cancellationToken))
                await UpdateSelfAssignmentAsync(device, channel.Name, cancellationToken);
            return DeviceResponse.Json(200, new ChannelSetBody("ok", AllowSet: true), DeviceJsonContext.Default.ChannelSetBody);
        }, cancellationToken);
    }

    /// <summary>PUT: which channel resolves for this device, and why.</summary>
    public async ValueTask<DeviceResponse> GetAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!TryReadBody(body, out var device, out _, out var failure))
            return failure;
        return await WithAppAsync(device, app =>
        {
            var resolution = decider.ResolveChannel(app, device);
            if (resolution.Channel is null)
                return ValueTask.FromResult(DeviceResponse.Error(400, UpdateErrors.NoChannel, "no default channel or override"));
            var status = resolution.Source == ChannelSource.PublicDefault ? "default" : "override";
            return ValueTask.FromResult(DeviceResponse.Json(200,
                new ChannelGetBody(resolution.Channel.Name, status, resolution.Channel.AllowDeviceSelfSet),
                DeviceJsonContext.Default.ChannelGetBody));
        }, cancellationToken);
    }

    /// <summary>DELETE: forget the server-side self-assignment. Device info comes in the body or the query string.</summary>
    public async ValueTask<DeviceResponse> UnsetAsync(ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken)
    {
        DeviceInfo device;
        if (!body.IsEmpty)
        {
            if (!TryReadBody(body, out device, out _, out var failure))
                return failure;
        }
        else if (!DeviceInfoReader.TryRead(query, VersionNameRule.Semver, out device, out var error))
        {
            return DeviceResponse.Error(400, error);
        }
        return await WithAppAsync(device, async _ =>
        {
            await UpdateSelfAssignmentAsync(device, null, cancellationToken);
            return Ok;
        }, cancellationToken);
    }

    /// <summary>GET: the channels this device may pick, as a bare JSON array.</summary>
    public async ValueTask<DeviceResponse> ListAsync(IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken)
    {
        foreach (var required in (string[])["app_id", "platform", "is_emulator", "is_prod"])
        {
            if (!query.TryGetValue(required, out var value) || string.IsNullOrEmpty(value))
                return DeviceResponse.Error(400, DeviceErrors.InvalidQueryParameters, $"Query parameter {required} is required.");
        }
        var appId = query["app_id"]!;
        if (!DeviceInfoReader.IsValidAppId(appId))
            return DeviceResponse.Error(400, DeviceErrors.InvalidQueryParameters, "app_id must be a reverse-domain id such as com.example.app.");
        if (!PlatformNames.TryParse(query["platform"], out var platform))
            return DeviceResponse.Error(400, DeviceErrors.InvalidQueryParameters, "platform must be one of ios, android, electron.");
        if (!TryParseBool(query["is_emulator"], out var isEmulator) || !TryParseBool(query["is_prod"], out var isProd))
            return DeviceResponse.Error(400, DeviceErrors.InvalidQueryParameters, "is_emulator and is_prod must be true or false.");

        AppSnapshot? app;
        try
        {
            app = await snapshots.GetAsync(appId, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
        if (app is null)
            return DeviceResponse.AppNotFound(appId);

        var channels = decider.ListSelfAssignable(app, platform, isEmulator, isProd);
        var items = new ChannelListItem[channels.Count];
        for (var i = 0; i < channels.Count; i++)
            items[i] = new ChannelListItem(channels[i].Id, channels[i].Name, app.IsPublic(channels[i]), channels[i].AllowDeviceSelfSet);
        return DeviceResponse.Json(200, (IReadOnlyList<ChannelListItem>)items, DeviceJsonContext.Default.IReadOnlyListChannelListItem);
    }

    private static bool TryParseBool(string? text, out bool value)
    {
        value = text == "true";
        return text is "true" or "false";
    }

    private static bool TryReadBody(ReadOnlyMemory<byte> body, out DeviceInfo device, out string? channel, out DeviceResponse failure)
    {
        device = null!;
        channel = null;
        failure = null!;
        if (!DeviceBody.TryParse(body, out var document, out var parseError))
        {
            failure = DeviceResponse.Error(400, parseError);
            return false;
        }
        using (document)
        {
            if (!DeviceInfoReader.TryRead(document.RootElement, VersionNameRule.Semver, out device, out var error)
                || !DeviceInfoReader.TryReadString(document.RootElement, "channel", DeviceInfoReader.MaxChannelNameLength, out channel, out error))
            {
                failure = DeviceResponse.Error(400, error);
                return false;
            }
        }
        return true;
    }

    private async ValueTask<DeviceResponse> WithAppAsync(DeviceInfo device, Func<AppSnapshot, ValueTask<DeviceResponse>> action, CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(device.AppId, device.DeviceId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);
        try
        {
            var app = await snapshots.GetAsync(device.AppId, cancellationToken);
            return app is null ? DeviceResponse.AppNotFound(device.AppId) : await action(app);
        }
        catch (StorageUnavailableException)
        {
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
    }

    /// <summary>
    /// A device the snapshot has no row for (the common join of a campaign) is created in one write, without reading
    /// first; false when a row exists after all (written elsewhere, not yet in this snapshot): then read and modify.
    /// </summary>
    private async Task<bool> TryCreateSelfAssignmentAsync(DeviceInfo device, string channel, CancellationToken cancellationToken)
    {
        try
        {
            await catalog.PutDeviceAsync(device.AppId, new DeviceRecord(device.DeviceId, SelfAssignedChannel: channel), WriteCondition.Create, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    /// <summary>Read-modify-write of the device row, guarded by its ETag, retried on a concurrent change.</summary>
    private async Task UpdateSelfAssignmentAsync(DeviceInfo device, string? channel, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await catalog.GetDeviceAsync(device.AppId, device.DeviceId, cancellationToken);
            var current = stored?.Value ?? new DeviceRecord(device.DeviceId);
            if (current.SelfAssignedChannel == channel)
                return;
            var updated = current with { SelfAssignedChannel = channel };
            try
            {
                if (stored is null)
                    await catalog.PutDeviceAsync(device.AppId, updated, WriteCondition.Create, cancellationToken);
                else if (updated.IsEmpty)
                    await catalog.DeleteDeviceAsync(device.AppId, device.DeviceId, WriteCondition.Matching(stored.ETag), cancellationToken);
                else
                    await catalog.PutDeviceAsync(device.AppId, updated, WriteCondition.Matching(stored.ETag), cancellationToken);
                // No Invalidate: the store applies a device write to this instance's snapshot in place (others read it
                // from the change log), so the next update check never waits for a reload because of this write.
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxWriteAttempts)
            {
                // Someone else changed the row since we read it: read again and reapply.
            }
            catch (ConcurrencyConflictException ex)
            {
                throw new StorageUnavailableException($"Device {device.DeviceId} kept changing during {MaxWriteAttempts} attempts.", ex);
            }
        }
    }
}
