using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/keys</c>: API keys (admin only).</summary>
public sealed class KeyFunctions(ManagementHttp http, ManagementService service)
{
    [Function(nameof(CreateKey))]
    public Task<IActionResult> CreateKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Keys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateKey, ManagementJsonContext.Default.CreateKeyRequest,
            (call, body, _, ct) => service.CreateKeyAsync(call.Caller, body, ct), cancellationToken);

    [Function(nameof(ListKeys))]
    public Task<IActionResult> ListKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Keys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListKeys, (call, ct) => service.ListKeysAsync(call.Caller, ct), cancellationToken);

    [Function(nameof(RevokeKey))]
    public Task<IActionResult> RevokeKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Key)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.RevokeKey, (call, ct) => service.RevokeKeyAsync(call.Caller, call.Route("id"), ct), cancellationToken);
}
