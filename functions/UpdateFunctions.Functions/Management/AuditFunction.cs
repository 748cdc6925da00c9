using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/audit?app=&amp;top=</c>: newest first.</summary>
public sealed class AuditFunction(ManagementHttp http, ManagementService service)
{
    private const int DefaultTop = 50;

    [Function(nameof(ListAudit))]
    public Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Audit)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListAudit, (call, ct) =>
        {
            var app = call.Query("app");
            if (app is not null && !DeviceInfoReader.IsValidAppId(app))
                return Task.FromResult<ManagementResult<List<AuditDto>>>(ManagementError.Invalid(ManagementErrors.InvalidId, "'app' is not a valid app id."));
            var top = DefaultTop;
            if (call.Query("top") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > ManagementService.MaxAuditTop))
                return Task.FromResult<ManagementResult<List<AuditDto>>>(ManagementError.Invalid(ManagementErrors.InvalidBody, $"'top' must be 1-{ManagementService.MaxAuditTop}."));
            return service.ListAuditAsync(call.Caller, app, top, ct);
        }, cancellationToken);
}
