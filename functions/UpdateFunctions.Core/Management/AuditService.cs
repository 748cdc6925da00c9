using System.Globalization;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// The audit log, newest first.
/// </summary>
public sealed class AuditService(IAuditLog audit)
{
    public const int MaxAuditTop = 1000;

    public const int DefaultAuditTop = 50;

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
