using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/keys</c>: API keys (admin only).</summary>
public sealed class KeyFunctions(ManagementHttp http, KeyService service)
{
    [Function(nameof(CreateKey))]
    [ManagementOperation(ApiRole.Admin, "Mint an API key; the secret is in this answer only.", Status = 201, Request = typeof(CreateKeyRequest), Response = typeof(CreatedKeyDto))]
    public Task<IActionResult> CreateKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Keys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateKey), ManagementJsonContext.Default.CreateKeyRequest,
            (call, body, _, ct) => service.CreateKeyAsync(call.Caller, body, ct), cancellationToken);

    [Function(nameof(ListKeys))]
    [ManagementOperation(ApiRole.Admin, "The usable keys, without secrets.", Response = typeof(List<KeyDto>))]
    public Task<IActionResult> ListKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Keys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListKeys), (call, ct) => service.ListKeysAsync(call.Caller, ct), cancellationToken);

    [Function(nameof(RevokeKey))]
    [ManagementOperation(ApiRole.Admin, "Revoke a key: at once on this instance, within the refresh interval on the others.", Status = 204)]
    public Task<IActionResult> RevokeKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Key)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(RevokeKey), (call, ct) => service.RevokeKeyAsync(call.Caller, call.Route("id"), ct), cancellationToken);
}
