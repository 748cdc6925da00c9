using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps</c>.</summary>
public sealed class AppFunctions(ManagementHttp http, AppService service)
{
    [Function(nameof(CreateApp))]
    [ManagementOperation(ApiRole.Admin, "Create an app (and its default channel, empty, if named and missing).", Status = 201, Request = typeof(CreateAppRequest), Response = typeof(AppDto))]
    public Task<IActionResult> CreateApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Apps)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateApp), ManagementJsonContext.Default.CreateAppRequest,
            (call, body, _, ct) => service.CreateAppAsync(call.Caller, body, ct), cancellationToken);

    [Function(nameof(ListApps))]
    [ManagementOperation(ApiRole.Read, "The apps this key may see.", Response = typeof(List<AppDto>))]
    public Task<IActionResult> ListApps(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Apps)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListApps), (call, ct) => service.ListAppsAsync(call.Caller, ct), cancellationToken);

    [Function(nameof(GetApp))]
    [ManagementOperation(ApiRole.Read, "One app, with its ETag.", Response = typeof(AppDto))]
    public Task<IActionResult> GetApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.App)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetApp), (call, ct) => service.GetAppAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(PatchApp))]
    [ManagementOperation(ApiRole.Write, "Change name, default channel (must exist) or public key (PEM RSA PUBLIC KEY, or null).", Request = typeof(PatchAppRequest), Response = typeof(AppDto))]
    public Task<IActionResult> PatchApp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.App)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(PatchApp), ManagementJsonContext.Default.PatchAppRequest,
            (call, body, present, ct) => service.PatchAppAsync(call.Caller, call.Route("app"), body, present, call.IfMatch, ct), cancellationToken);
}
