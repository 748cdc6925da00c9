using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/bundles</c>: list, read and delete committed bundles.</summary>
public sealed class BundleFunctions(ManagementHttp http, BundleService service)
{
    [Function(nameof(ListBundles))]
    [ManagementOperation(ApiRole.Read, "The app's bundles, newest version first.", Response = typeof(List<BundleDto>))]
    public Task<IActionResult> ListBundles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Bundles)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListBundles), (call, ct) => service.ListBundlesAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetBundle))]
    [ManagementOperation(ApiRole.Read, "One bundle, with its ETag.", Response = typeof(BundleDto))]
    public Task<IActionResult> GetBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Bundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetBundle), (call, ct) => service.GetBundleAsync(call.Route("app"), call.Route("version"), ct), cancellationToken);

    [Function(nameof(DeleteBundle))]
    [ManagementOperation(ApiRole.Write, "Delete a bundle version; 409 while a channel or a device pin uses it.", Status = 204)]
    public Task<IActionResult> DeleteBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Bundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteBundle),
            (call, ct) => service.DeleteBundleAsync(call.Caller, call.Route("app"), call.Route("version"), call.IfMatch, ct), cancellationToken);
}
