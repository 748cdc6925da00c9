using System.Globalization;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Management;

public sealed partial class ManagementService
{
    public const int MaxAuditTop = 1000;
    public const int DefaultAuditTop = 50;
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
        await AuditAsync(caller, "key.create", null, $"keys/{key.Id}", null, key.ToDto(), Json.KeyDto, cancellationToken);
        return ManagementResult.Created(
            new CreatedKeyDto(key.Id, secret, key.Name, key.Role.ToWire(), key.Apps, key.ExpiresAt, key.CreatedAt));
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
        await AuditAsync(caller, "key.revoke", null, $"keys/{key.Id}", key.ToDto(), null, Json.KeyDto, cancellationToken);
        return NoContent.Result;
    }

    /// <summary>
    /// Audit entries, newest first, from the query's <c>app</c> and <c>top</c> (default <see cref="DefaultAuditTop"/>).
    /// A key limited to some apps must name one of them.
    /// </summary>
    public async Task<ManagementResult<List<AuditDto>>> ListAuditAsync(ManagementCaller caller, string? appId, string? top, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (appId is not null && !DeviceInfoReader.IsValidAppId(appId))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'app' is not a valid app id.");
        var count = DefaultAuditTop;
        if (top is not null && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxAuditTop))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'top' must be 1-{MaxAuditTop}.");
        if (appId is null && caller.IsLimited)
            return ManagementError.Forbidden("A key limited to some apps must ask for the audit of one of them (?app=).");
        if (appId is not null && !caller.MaySee(appId))
            return ManagementError.Forbidden($"This key may not see app '{appId}'.");
        var entries = await audit.ListAsync(appId, count, cancellationToken);
        return ManagementResult.Ok(entries.Select(e => e.ToDto()).ToList());
    }
}
