using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using static UpdateFunctions.Core.Management.ManagementRefusals;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Apps: create (with their default channel), list, read and change them; every change ETag-guarded and audited.
/// </summary>
public sealed class AppService(ManagementChanges changes, ICatalogStore catalog, TimeProvider clock)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

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

        await changes.AuditAsync(caller, "app.create", app.Id, $"apps/{app.Id}", null, app.ToDto(), Json.AppDto, cancellationToken);
        if (request.DefaultChannel is { } channelName && await catalog.GetChannelAsync(app.Id, channelName, cancellationToken) is null)
        {
            var channel = new ChannelDefinition(channelName, 1, null);
            try
            {
                await catalog.PutChannelAsync(app.Id, channel, WriteCondition.Create, cancellationToken);
                await changes.AuditAsync(caller, "channel.create", app.Id, $"apps/{app.Id}/channels/{channelName}", null,
                    channel.ToDto(channelName), Json.ChannelDto, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Created meanwhile by someone else: it exists, which is all we wanted.
            }
        }

        changes.Invalidate(app.Id);
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

        return changes.UpdateAsync(caller, "app.update", appId, $"apps/{appId}", ifMatch,
            ct => changes.ReadAppAsync(appId, ct),
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
