using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Devices;

/// <summary><c>POST /updates</c>: validate, decide from the in-memory snapshot, and answer in the plugin's format.</summary>
public sealed class UpdateCheckHandler(IAppSnapshotSource snapshots, OfferBodyCache offers, UpdateDecider decider, DeviceRateLimiter limiter)
{
    /// <summary>Seconds a device should wait when storage is down and no snapshot was ever loaded.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<DeviceResponse> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!DeviceBody.TryParse(body, out var document, out var parseError))
            return DeviceResponse.Error(400, parseError);

        DeviceInfo device;
        using (document)
        {
            if (!DeviceInfoReader.TryRead(document.RootElement, VersionNameRule.Semver, out device, out var error))
                return DeviceResponse.Error(400, error);
        }
        if (!limiter.TryAcquire(device.AppId, device.DeviceId, out var retryAfter))
            return DeviceResponse.RateLimited(retryAfter);

        AppSnapshot? app;
        try
        {
            app = await snapshots.GetAsync(device.AppId, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
        if (app is null)
            return DeviceResponse.AppNotFound(device.AppId);

        var decision = decider.Decide(app, device);
        if (decision is not UpdateOffer offer)
            return ToResponse(decision);
        try
        {
            // Built once per bundle and snapshot (and signing period): a warm check copies no URL and signs nothing.
            return new DeviceResponse(200, await offers.GetAsync(app.App.Id, offer, cancellationToken));
        }
        catch (StorageUnavailableException)
        {
            // Only a signing key that cannot be fetched gets here, and only before one ever was.
            return DeviceResponse.Unavailable(RetryAfterSeconds);
        }
    }

    private static DeviceResponse ToResponse(UpdateDecision decision) => decision switch
    {
        BuiltinOffer => DeviceResponse.Json(200, new BuiltinBody(Versions.BundleVersion.Builtin), DeviceJsonContext.Default.BuiltinBody),
        UpdateRefusal refusal => DeviceResponse.Json(200, new UpdateRefusalBody(
                refusal.Code,
                refusal.Message,
                refusal.Kind.ToWire(),
                refusal.Version,
                refusal.Old,
                refusal.Major ? true : null,
                refusal.DeviceKeyId,
                refusal.BundleKeyId),
            DeviceJsonContext.Default.UpdateRefusalBody),
        _ => throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}."),
    };
}
