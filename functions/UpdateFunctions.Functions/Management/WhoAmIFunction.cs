using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/whoami</c>: the calling key's id, name, role and app limit, for any valid key.</summary>
public sealed class WhoAmIFunction(ManagementHttp http)
{
    [Function(nameof(WhoAmI))]
    [ManagementOperation(ApiRole.Read, "The calling key: id, name, role, the apps it is limited to (null: every app) and its expiry; never the secret.", Response = typeof(WhoAmIDto))]
    public Task<IActionResult> WhoAmI(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.WhoAmI)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(WhoAmI), (call, _) => KeyService.WhoAmIAsync(call.Caller), cancellationToken);
}
