using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/codepush/…</c>: CodePush releases and deployment keys (docs/codepush.md).</summary>
public sealed class CodePushManagementFunctions(ManagementHttp http, CodePushReleaseService releases, DeploymentKeyService keys)
{
    private static readonly CodePushManagementJsonContext Json = CodePushManagementJsonContext.Default;

    [Function(nameof(CreateCodePushRelease))]
    public Task<IActionResult> CreateCodePushRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushReleases)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateCodePushRelease, Json.CreateCodePushReleaseRequest,
            (call, body, _, ct) => releases.CreateAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListCodePushReleases))]
    public Task<IActionResult> ListCodePushReleases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.CodePushReleases)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListCodePushReleases,
            (call, ct) => releases.ListAsync(call.Route("app"), call.Query("channel"), ct), cancellationToken);

    [Function(nameof(PatchCodePushRelease))]
    public Task<IActionResult> PatchCodePushRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.CodePushRelease)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.PatchCodePushRelease, Json.PatchCodePushReleaseRequest,
            (call, body, _, ct) => releases.PatchAsync(call.Caller, call.Route("app"), call.Route("channel"), call.Route("label"), body, ct), cancellationToken);

    [Function(nameof(RollbackCodePush))]
    public Task<IActionResult> RollbackCodePush(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushRollback)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.RollbackCodePush,
            (call, ct) => releases.RollbackAsync(call.Caller, call.Route("app"), call.Route("channel"), call.Query("to"), ct), cancellationToken);

    [Function(nameof(CreateDeploymentKey))]
    public Task<IActionResult> CreateDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushKeys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateDeploymentKey, Json.CreateDeploymentKeyRequest,
            (call, body, _, ct) => keys.CreateAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListDeploymentKeys))]
    public Task<IActionResult> ListDeploymentKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.CodePushKeys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListDeploymentKeys,
            (call, ct) => keys.ListAsync(call.Route("app"), call.Query("channel"), ct), cancellationToken);

    [Function(nameof(RotateDeploymentKey))]
    public Task<IActionResult> RotateDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushKeyRotate)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.RotateDeploymentKey,
            (call, ct) => keys.RotateAsync(call.Caller, call.Route("app"), call.Route("id"), ct), cancellationToken);

    [Function(nameof(DeleteDeploymentKey))]
    public Task<IActionResult> DeleteDeploymentKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.CodePushKey)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteDeploymentKey,
            (call, ct) => keys.DeleteAsync(call.Caller, call.Route("app"), call.Route("id"), ct), cancellationToken);
}
