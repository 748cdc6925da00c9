using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/codepush/…</c>: CodePush releases of React Native apps (docs/codepush.md).</summary>
public sealed class CodePushReleaseFunctions(ManagementHttp http, CodePushReleaseService service)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    [Function(nameof(CreateCodePushRelease))]
    [ManagementOperation(ApiRole.Upload, "Release a committed bundle to a channel's React Native devices: label vN, target binary range, mandatory, description, CodePush package hash computed from the zip; below 100 % rollout a staged rollout starts.", Status = 201, Request = typeof(CreateCodePushReleaseRequest), Response = typeof(CodePushReleaseDto))]
    public Task<IActionResult> CreateCodePushRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushReleases)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateCodePushRelease), Json.CreateCodePushReleaseRequest,
            (call, body, _, ct) => service.CreateAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListCodePushReleases))]
    [ManagementOperation(ApiRole.Read, "The app's CodePush releases per channel, newest first (query: channel).", Response = typeof(List<CodePushReleaseDto>))]
    public Task<IActionResult> ListCodePushReleases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.CodePushReleases)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListCodePushReleases), (call, ct) => service.ListAsync(call.Route("app"), call.Query("channel"), ct), cancellationToken);

    [Function(nameof(PatchCodePushRelease))]
    [ManagementOperation(ApiRole.Write, "Change a release's mandatory or disabled flag, description or target binary range.", Request = typeof(PatchCodePushReleaseRequest), Response = typeof(CodePushReleaseDto))]
    public Task<IActionResult> PatchCodePushRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.CodePushRelease)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(PatchCodePushRelease), Json.PatchCodePushReleaseRequest,
            (call, body, _, ct) => service.PatchAsync(call.Caller, call.Route("app"), call.Route("channel"), call.Route("label"), body, ct), cancellationToken);

    [Function(nameof(RollbackCodePush))]
    [ManagementOperation(ApiRole.Write, "Make the previous enabled release (or query 'to', a label) current again; the releases stepped back over are never served again.", Response = typeof(CodePushReleaseDto))]
    public Task<IActionResult> RollbackCodePush(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.CodePushRollback)] HttpRequest request, CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(RollbackCodePush),
            (call, ct) => service.RollbackAsync(call.Caller, call.Route("app"), call.Route("channel"), call.Query("to"), ct), cancellationToken);
}
