using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// The management API's rules over the ports: validation, ETag-guarded read-modify-write (retried on a lost race
/// when the caller gave no <c>If-Match</c>), audit entries and snapshot invalidation after every change. Answers are
/// values (<see cref="ManagementResult{T}"/>); only infrastructure failures throw.
/// </summary>
public sealed partial class ManagementService(
    ICatalogStore catalog,
    IBundleBlobStore blobs,
    IAppSnapshotSource snapshots,
    IAuditLog audit,
    IApiKeyStore keys,
    ManagementAuthenticator authenticator,
    IPendingUploadStore uploads,
    IBundleStaging staging,
    UpdateDecider decider,
    IRolloutHealthSource health,
    IDownloadUrlSource urls,
    BundleManifestBuilder manifests,
    ManagementOptions options,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;
    private const int MaxNameLength = 128;
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    // ---- apps ----

    public async Task<ManagementResult<AppDto>> CreateAppAsync(ManagementCaller caller, CreateAppRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (caller.IsLimited)
            return ManagementError.Forbidden("A key limited to some apps cannot create apps.");
        if (!DeviceInfoReader.IsValidAppId(request.Id))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'id' must be a reverse-DNS app id such as com.example.app.");
        if (ValidateName(request.Name) is { } badName)
            return badName;
        if (request.DefaultChannel is not null && !DeviceInfoReader.IsValidChannelName(request.DefaultChannel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, $"'defaultChannel' is not a valid channel name: '{request.DefaultChannel}'.");

        var app = new AppDefinition(request.Id!, request.Name!, request.DefaultChannel, CreatedAt: clock.GetUtcNow());
        string etag;
        try
        {
            etag = await catalog.PutAppAsync(app, WriteCondition.Create, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Conflict($"App '{request.Id}' exists already.");
        }

        await AuditAsync(caller, "app.create", app.Id, $"apps/{app.Id}", null, app.ToDto(), Json.AppDto, cancellationToken);
        if (request.DefaultChannel is { } channelName && await catalog.GetChannelAsync(app.Id, channelName, cancellationToken) is null)
        {
            var channel = new ChannelDefinition(channelName, 1, null);
            try
            {
                await catalog.PutChannelAsync(app.Id, channel, WriteCondition.Create, cancellationToken);
                await AuditAsync(caller, "channel.create", app.Id, $"apps/{app.Id}/channels/{channelName}", null,
                    channel.ToDto(channelName), Json.ChannelDto, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Created meanwhile by someone else: it exists, which is all we wanted.
            }
        }

        snapshots.Invalidate(app.Id);
        return ManagementResult.Created(app.ToDto(), etag);
    }

    public async Task<ManagementResult<List<AppDto>>> ListAppsAsync(ManagementCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var apps = await catalog.ListAppsAsync(cancellationToken);
        return ManagementResult.Ok(apps.Where(a => caller.MaySee(a.Id)).OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => a.ToDto()).ToList());
    }

    public async Task<ManagementResult<AppDto>> GetAppAsync(string appId, CancellationToken cancellationToken)
    {
        var app = await catalog.GetAppAsync(appId, cancellationToken);
        return app is null ? AppNotFound(appId) : ManagementResult.Ok(app.Value.ToDto(), app.ETag);
    }

    public Task<ManagementResult<AppDto>> PatchAppAsync(
        ManagementCaller caller, string appId, PatchAppRequest request, IReadOnlySet<string> present, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(present);
        if (present.Contains("name") && ValidateName(request.Name) is { } badName)
            return Task.FromResult<ManagementResult<AppDto>>(badName);

        string? keyId = null;
        if (present.Contains("publicKey") && request.PublicKey is { } pem && !TryKeyIdOf(pem, out keyId))
        {
            return Task.FromResult<ManagementResult<AppDto>>(ManagementError.Invalid(ManagementErrors.InvalidBody,
                "'publicKey' must be a PEM 'RSA PUBLIC KEY' (-----BEGIN RSA PUBLIC KEY----- … -----END RSA PUBLIC KEY-----), or null."));
        }

        return UpdateAsync(caller, "app.update", appId, $"apps/{appId}", ifMatch,
            ct => ReadAppAsync(appId, ct),
            async (current, ct) =>
            {
                var next = current;
                if (present.Contains("name"))
                    next = next with { Name = request.Name! };
                if (present.Contains("defaultChannel"))
                {
                    if (request.DefaultChannel is { } channel && await catalog.GetChannelAsync(appId, channel, ct) is null)
                        return ManagementError.NotFound(ManagementErrors.ChannelNotFound, $"Channel '{channel}' does not exist in app '{appId}'.");
                    next = next with { DefaultChannel = request.DefaultChannel };
                }
                if (present.Contains("publicKey"))
                    next = next with { PublicKey = request.PublicKey, KeyId = request.PublicKey is null ? null : keyId };
                return Change.To(next);
            },
            (next, condition, ct) => catalog.PutAppAsync(next, condition, ct),
            app => app.ToDto(), Json.AppDto, cancellationToken);
    }

    // ---- shared machinery ----

    /// <summary>The outcome of deciding a change: the new value, or a refusal.</summary>
    private readonly record struct Change<T>(T? Value, ManagementError? Error)
    {
        public static implicit operator Change<T>(ManagementError error) => new(default, error);
    }

    private static class Change
    {
        public static Change<T> To<T>(T value) => new(value, null);
    }

    /// <summary>
    /// Read (with ETag), check <c>If-Match</c>, decide, write guarded by the ETag read; a lost race is retried when the
    /// caller gave no <c>If-Match</c> and answered 412 when it did. Audits and invalidates the app's snapshot.
    /// </summary>
    private async Task<ManagementResult<TDto>> UpdateAsync<T, TDto>(
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

    private async Task<ManagementResult<Versioned<AppDefinition>>> ReadAppAsync(string appId, CancellationToken cancellationToken) =>
        await catalog.GetAppAsync(appId, cancellationToken) is { } app
            ? ManagementResult.Ok(app)
            : AppNotFound(appId);

    private static bool ETagMatches(string ifMatch, string etag) =>
        ifMatch.Trim() == "*" || string.Equals(ifMatch.Trim(), etag, StringComparison.Ordinal);

    private async Task AuditAsync<TDto>(
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

    private static ManagementError AppNotFound(string appId) =>
        ManagementError.NotFound(ManagementErrors.AppNotFound, $"App '{appId}' does not exist.");

    private static ManagementError? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl)
            ? ManagementError.Invalid(ManagementErrors.InvalidBody, $"'name' is required: 1-{MaxNameLength} printable characters.")
            : null;

    /// <summary>Capgo's key id: the first 20 characters of the base64 body of the PEM public key.</summary>
    internal static bool TryKeyIdOf(string pem, out string? keyId)
    {
        keyId = null;
        const string Begin = "-----BEGIN RSA PUBLIC KEY-----";
        const string End = "-----END RSA PUBLIC KEY-----";
        var text = pem.Trim();
        if (text.Length > 16 * 1024 || !text.StartsWith(Begin, StringComparison.Ordinal) || !text.EndsWith(End, StringComparison.Ordinal))
            return false;
        var body = string.Concat(text[Begin.Length..^End.Length].Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[body.Length];
        if (body.Length < 20 || !Convert.TryFromBase64String(body, buffer, out _))
            return false;
        keyId = body[..20];
        return true;
    }
}
