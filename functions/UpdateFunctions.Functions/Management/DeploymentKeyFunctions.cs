using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/codepush/keys</c>: CodePush deployment keys, one per channel and platform.</summary>
public sealed class DeploymentKeyFunctions(ManagementHttp http, DeploymentKeyService service)
{
    [Function(nameof(CreateDeploymentKey))]
    [ManagementOperation(ApiRole.Admin, "Mint a deployment key for a channel and platform (ios, android); the key is in this answer only.", Status = 201, Request = typeof(CreateDeploymentKeyRequest), Response = typeof(DeploymentKeyDto))]
    public Task<IActionResult> CreateDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushKeys)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateDeploymentKey), ManagementJsonContext.Default.CreateDeploymentKeyRequest,
            (call, body, _, ct) => service.CreateAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListDeploymentKeys))]
    [ManagementOperation(ApiRole.Read, "The app's deployment keys, without the keys (query: channel).", Response = typeof(List<DeploymentKeyDto>))]
    public Task<IActionResult> ListDeploymentKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.CodePushKeys)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListDeploymentKeys), (call, ct) => service.ListAsync(call.Route("app"), call.Query("channel"), ct), cancellationToken);

    [Function(nameof(RotateDeploymentKey))]
    [ManagementOperation(ApiRole.Admin, "A new key for the same id, channel and platform; the old key stops working.", Response = typeof(DeploymentKeyDto))]
    public Task<IActionResult> RotateDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushKeyRotate)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(RotateDeploymentKey), (call, ct) => service.RotateAsync(call.Caller, call.Route("app"), call.Route("id"), ct), cancellationToken);

    [Function(nameof(DeleteDeploymentKey))]
    [ManagementOperation(ApiRole.Admin, "Delete a deployment key; devices using it get deployment_key_not_found.", Status = 204)]
    public Task<IActionResult> DeleteDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.CodePushKey)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteDeploymentKey), (call, ct) => service.DeleteAsync(call.Caller, call.Route("app"), call.Route("id"), ct), cancellationToken);
}
