using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps</c>.</summary>
public sealed class AppFunctions(ManagementHttp http, ManagementService service)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    [Function(nameof(CreateApp))]
    public Task<IActionResult> CreateApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Apps)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateApp, Json.CreateAppRequest,
            (call, body, _, ct) => service.CreateAppAsync(call.Caller, body, ct), cancellationToken);

    [Function(nameof(ListApps))]
    public Task<IActionResult> ListApps(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Apps)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListApps, (call, ct) => service.ListAppsAsync(call.Caller, ct), cancellationToken);

    [Function(nameof(GetApp))]
    public Task<IActionResult> GetApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.App)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetApp, (call, ct) => service.GetAppAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(PatchApp))]
    public Task<IActionResult> PatchApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.App)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.PatchApp, Json.PatchAppRequest,
            (call, body, present, ct) => service.PatchAppAsync(call.Caller, call.Route("app"), body, present, call.IfMatch, ct), cancellationToken);
}
