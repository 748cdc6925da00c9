using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/bundles</c>: direct-to-blob upload, commit, list, get, delete.</summary>
public sealed class BundleFunctions(ManagementHttp http, ManagementService service)
{
    [Function(nameof(StartUpload))]
    public Task<IActionResult> StartUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Bundles)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.StartUpload, ManagementJsonContext.Default.CreateBundleRequest,
            (call, body, _, ct) => service.StartUploadAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(CommitUpload))]
    public Task<IActionResult> CommitUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.BundleCommit)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CommitUpload,
            (call, ct) => service.CommitUploadAsync(call.Caller, call.Route("app"), call.Route("version"), ct), cancellationToken);

    [Function(nameof(ListBundles))]
    public Task<IActionResult> ListBundles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Bundles)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListBundles, (call, ct) => service.ListBundlesAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetBundle))]
    public Task<IActionResult> GetBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Bundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetBundle, (call, ct) => service.GetBundleAsync(call.Route("app"), call.Route("version"), ct), cancellationToken);

    [Function(nameof(DeleteBundle))]
    public Task<IActionResult> DeleteBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Bundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteBundle,
            (call, ct) => service.DeleteBundleAsync(call.Caller, call.Route("app"), call.Route("version"), call.IfMatch, ct), cancellationToken);
}
