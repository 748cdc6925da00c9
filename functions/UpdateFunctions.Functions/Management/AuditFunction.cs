using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/audit?app=&amp;top=</c>: newest first.</summary>
public sealed class AuditFunction(ManagementHttp http, AuditService service)
{
    [Function(nameof(ListAudit))]
    [ManagementOperation(ApiRole.Read, "Audit entries, newest first (query: app, top ≤ 1000, default 50).", Response = typeof(List<AuditDto>))]
    public Task<IActionResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Audit)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListAudit), (call, ct) => service.ListAuditAsync(call.Caller, call.Query("app"), call.Query("top"), ct), cancellationToken);
}
