using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// Deployment keys: created for an app, channel and platform, listed without their secret, rotated (a new secret,
/// same id; the old one stops working on this instance at once and everywhere within a refresh interval), deleted.
/// Every change is audited.
/// </summary>
public sealed class DeploymentKeyService(ICodePushStore store, ICatalogStore catalog, CodePushDirectory directory, ManagementChanges changes, TimeProvider clock)
{
    private const int MaxNameLength = 128;
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    public async Task<ManagementResult<JsonElement>> CreateAsync(
        ManagementCaller caller, string appId, CreateDeploymentKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceInfoReader.IsValidChannelName(request.Channel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'channel' is required: the channel (CodePush deployment) the key serves.");
        if (!PlatformNames.TryParse(request.Platform, out var platform) || platform == Platform.Electron)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'platform' is required: ios or android (one key per platform, as App Center had).");
        var name = request.Name ?? $"{request.Channel} {request.Platform}";
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'name' is 1-{MaxNameLength} printable characters.");
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return ManagementError.NotFound(ManagementErrors.AppNotFound, $"App '{appId}' does not exist.");
        if (await catalog.GetChannelAsync(appId, request.Channel!, cancellationToken) is null)
            return ManagementError.NotFound(ManagementErrors.ChannelNotFound, $"Channel '{request.Channel}' does not exist in app '{appId}'.");

        var (secret, id) = DeploymentKey.Generate();
        var key = new DeploymentKey(id, DeploymentKey.HashOf(secret), appId, request.Channel!, platform, name, clock.GetUtcNow(), caller.KeyId);
        await store.AddKeyAsync(key, cancellationToken);
        directory.InvalidateKeys();
        await AuditAsync(caller, "codepush.key.create", key, cancellationToken);
        return ManagementResult.Created(ToJson(key, secret));
    }

    public async Task<ManagementResult<JsonElement>> ListAsync(string appId, string? channel, CancellationToken cancellationToken)
    {
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return ManagementError.NotFound(ManagementErrors.AppNotFound, $"App '{appId}' does not exist.");
        var keys = (await store.ListKeysAsync(cancellationToken))
            .Where(k => k.AppId == appId && (channel is null || k.Channel == channel))
            .OrderBy(k => k.Channel, StringComparer.Ordinal).ThenBy(k => k.CreatedAt)
            .Select(k => Dto(k, null))
            .ToList();
        return ManagementResult.Ok(JsonSerializer.SerializeToElement(keys, Json.ListDeploymentKeyDto));
    }

    /// <summary>A new secret for the same id, app, channel and platform: added first, then the old one deleted.</summary>
    public async Task<ManagementResult<JsonElement>> RotateAsync(ManagementCaller caller, string appId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await FindAsync(appId, id, cancellationToken) is not { } old)
            return KeyNotFound(appId, id);
        var (secret, _) = DeploymentKey.Generate();
        var key = old with { Hash = DeploymentKey.HashOf(secret), CreatedAt = clock.GetUtcNow(), CreatedBy = caller.KeyId };
        await store.AddKeyAsync(key, cancellationToken);
        await store.DeleteKeyAsync(old.Hash, cancellationToken);
        directory.InvalidateKeys();
        await AuditAsync(caller, "codepush.key.rotate", key, cancellationToken);
        return ManagementResult.Ok(ToJson(key, secret));
    }

    public async Task<ManagementResult<NoContent>> DeleteAsync(ManagementCaller caller, string appId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await FindAsync(appId, id, cancellationToken) is not { } key)
            return KeyNotFound(appId, id);
        await store.DeleteKeyAsync(key.Hash, cancellationToken);
        directory.InvalidateKeys();
        await AuditAsync(caller, "codepush.key.delete", key, cancellationToken);
        return NoContent.Result;
    }

    private async Task<DeploymentKey?> FindAsync(string appId, string id, CancellationToken cancellationToken) =>
        (await store.ListKeysAsync(cancellationToken)).FirstOrDefault(k => k.Id == id && k.AppId == appId);

    private static ManagementError KeyNotFound(string appId, string id) =>
        ManagementError.NotFound(ManagementErrors.KeyNotFound, $"App '{appId}' has no deployment key '{id}'.");

    private Task AuditAsync(ManagementCaller caller, string action, DeploymentKey key, CancellationToken cancellationToken) =>
        changes.AuditAsync(caller, action, key.AppId, $"apps/{key.AppId}/codepush/keys/{key.Id}", null, Dto(key, null), Json.DeploymentKeyDto, cancellationToken);

    private static JsonElement ToJson(DeploymentKey key, string? secret) =>
        JsonSerializer.SerializeToElement(Dto(key, secret), Json.DeploymentKeyDto);

    private static DeploymentKeyDto Dto(DeploymentKey key, string? secret) =>
        new(key.Id, key.AppId, key.Channel, key.Platform.ToWire(), key.Name, key.CreatedAt, secret);
}
