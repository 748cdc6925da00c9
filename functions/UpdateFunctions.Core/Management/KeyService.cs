using UpdateFunctions.Core.Devices;
using static UpdateFunctions.Core.Management.ManagementRefusals;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// API keys: mint, list and revoke; only an admin key not limited to some apps manages keys.
/// </summary>
public sealed class KeyService(ManagementChanges changes, IApiKeyStore keys, ManagementAuthenticator authenticator, TimeProvider clock)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    private const int MaxKeyApps = 100;

    /// <summary>
    /// Mints a key. Only an admin key that is not limited to some apps may manage keys: a limited admin could
    /// otherwise mint itself a key for every app.
    /// </summary>
    public async Task<ManagementResult<CreatedKeyDto>> CreateKeyAsync(ManagementCaller caller, CreateKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (caller.IsLimited)
            return ManagementError.Forbidden("A key limited to some apps cannot manage keys.");
        if (ValidateName(request.Name) is { } badName)
            return badName;
        if (!ApiRoleNames.TryParse(request.Role, out var role))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'role' must be one of read, upload, write, admin.");
        if (request.Apps is { } apps && (apps.Count is 0 or > MaxKeyApps || apps.Any(a => !DeviceInfoReader.IsValidAppId(a))))
            return ManagementError.Invalid(ManagementErrors.InvalidId, $"'apps' must list 1-{MaxKeyApps} valid app ids, or be left out for every app.");
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'expiresAt' must be in the future.");

        var (secret, hash) = ApiKeySecrets.Mint();
        var key = new ApiKey(ApiKeySecrets.NewId(), hash, request.Name!, role,
            request.Apps?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), request.ExpiresAt, now);
        await keys.AddAsync(key, cancellationToken);
        authenticator.Invalidate();
        await changes.AuditAsync(caller, "key.create", null, $"keys/{key.Id}", null, key.ToDto(), Json.KeyDto, cancellationToken);
        return ManagementResult.Created(
            new CreatedKeyDto(key.Id, secret, key.Name, key.Role.ToWire(), key.Apps, key.ExpiresAt, key.CreatedAt));
    }

    /// <summary>
    /// The calling key as the edge authenticated it: open to every role and every app limit, so a client learns what
    /// it may do without trying a change.
    /// </summary>
    public static Task<ManagementResult<WhoAmIDto>> WhoAmIAsync(ManagementCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Task.FromResult(ManagementResult.Ok(new WhoAmIDto(caller.KeyId, caller.Name, caller.Role.ToWire(), caller.Apps, caller.ExpiresAt)));
    }

    /// <summary>The keys that can still be used (revoked and expired ones are left out), oldest first.</summary>
    public async Task<ManagementResult<List<KeyDto>>> ListKeysAsync(ManagementCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsLimited)
            return ManagementError.Forbidden("A key limited to some apps cannot manage keys.");
        var now = clock.GetUtcNow();
        var all = await keys.ListAsync(cancellationToken);
        return ManagementResult.Ok(all.Where(k => k.IsActiveAt(now)).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).Select(k => k.ToDto()).ToList());
    }

    /// <summary>Revokes a key: refused at once on this instance, within the refresh interval on the others.</summary>
    public async Task<ManagementResult<NoContent>> RevokeKeyAsync(ManagementCaller caller, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsLimited)
            return ManagementError.Forbidden("A key limited to some apps cannot manage keys.");
        var all = await keys.ListAsync(cancellationToken);
        var key = all.FirstOrDefault(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));
        if (key is null || key.RevokedAt is not null)
            return ManagementError.NotFound(ManagementErrors.KeyNotFound, $"Key '{keyId}' does not exist or is revoked already.");

        var revoked = key with { RevokedAt = clock.GetUtcNow() };
        await keys.UpdateAsync(revoked, cancellationToken);
        authenticator.Invalidate();
        await changes.AuditAsync(caller, "key.revoke", null, $"keys/{key.Id}", key.ToDto(), null, Json.KeyDto, cancellationToken);
        return NoContent.Result;
    }
}
