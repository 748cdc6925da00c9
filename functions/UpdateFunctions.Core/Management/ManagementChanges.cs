using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Versions;
using static UpdateFunctions.Core.Management.ManagementRefusals;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// What every management service does around a change: ETag-guarded read-modify-write (retried on a lost race when
/// the caller gave no <c>If-Match</c>), the audit entry, and invalidating the app's cached snapshot.
/// </summary>
public sealed class ManagementChanges(ICatalogStore catalog, IAppSnapshotSource snapshots, IAuditLog audit, TimeProvider clock)
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// Read (with ETag), check <c>If-Match</c>, decide, write guarded by the ETag read; a lost race is retried when the
    /// caller gave no <c>If-Match</c> and answered 412 when it did. Audits and invalidates the app's snapshot.
    /// </summary>
    public async Task<ManagementResult<TDto>> UpdateAsync<T, TDto>(
        ManagementCaller caller,
        string action,
        string appId,
        string resource,
        string? ifMatch,
        Func<CancellationToken, Task<ManagementResult<Versioned<T>>>> read,
        Func<T, CancellationToken, Task<Change<T>>> decide,
        Func<T, WriteCondition, CancellationToken, Task<string>> write,
        Func<T, TDto> toDto,
        JsonTypeInfo<TDto> dtoType,
        CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await read(cancellationToken);
            if (loaded.Error is { } notFound)
                return notFound;
            var current = loaded.Value!;
            if (ifMatch is not null && !ETagMatches(ifMatch, current.ETag))
                return ManagementError.Stale($"'{resource}' changed since it was read (If-Match {ifMatch}, now {current.ETag}).");

            var change = await decide(current.Value, cancellationToken);
            if (change.Error is { } refused)
                return refused;

            try
            {
                var etag = await write(change.Value!, WriteCondition.Matching(current.ETag), cancellationToken);
                await AuditAsync(caller, action, appId, resource, toDto(current.Value), toDto(change.Value!), dtoType, cancellationToken);
                snapshots.Invalidate(appId);
                return ManagementResult.Ok(toDto(change.Value!), etag);
            }
            catch (ConcurrencyConflictException) when (ifMatch is null && attempt < MaxAttempts)
            {
                // Someone wrote in between: read again and decide again.
            }
            catch (ConcurrencyConflictException)
            {
                return ManagementError.Stale($"'{resource}' changed while it was being updated; read it again.");
            }
        }
    }

    public async Task<ManagementResult<Versioned<AppDefinition>>> ReadAppAsync(string appId, CancellationToken cancellationToken) =>
        await catalog.GetAppAsync(appId, cancellationToken) is { } app
            ? ManagementResult.Ok(app)
            : AppNotFound(appId);

    public static bool ETagMatches(string ifMatch, string etag) =>
        ifMatch.Trim() == "*" || string.Equals(ifMatch.Trim(), etag, StringComparison.Ordinal);

    public async Task AuditAsync<TDto>(
        ManagementCaller caller, string action, string? appId, string resource, TDto? before, TDto? after, JsonTypeInfo<TDto> type,
        CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(
            Guid.NewGuid().ToString("N"),
            clock.GetUtcNow(),
            caller.KeyId,
            action,
            appId,
            resource,
            before is null ? null : JsonSerializer.Serialize(before, type),
            after is null ? null : JsonSerializer.Serialize(after, type));
        await audit.WriteAsync(entry, cancellationToken);
    }

    /// <summary>404 when <paramref name="version"/> names a bundle the app does not have (null and builtin always exist).</summary>
    public async Task<ManagementError?> CheckBundleExistsAsync(string appId, string? version, CancellationToken cancellationToken)
    {
        if (version is null || version == BundleVersion.Builtin)
            return null;
        return await catalog.GetBundleAsync(appId, version, cancellationToken) is null
            ? ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{version}' does not exist in app '{appId}'.")
            : null;
    }

    /// <summary>Drops the app's cached snapshot, so this instance's update checks see the change at once.</summary>
    public void Invalidate(string appId) => snapshots.Invalidate(appId);
}
