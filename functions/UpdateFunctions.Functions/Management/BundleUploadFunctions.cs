using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/bundles</c>: direct-to-blob upload and its commit.</summary>
public sealed class BundleUploadFunctions(ManagementHttp http, BundleService service)
{
    [Function(nameof(StartUpload))]
    [ManagementOperation(ApiRole.Upload, "Announce an upload: 201 with a 15-minute write SAS for a staging blob; 200 with the bundle when this version was committed with the same sha256; 409 when with different bytes.", Status = 201, Request = typeof(CreateBundleRequest), Response = typeof(UploadTicketDto))]
    public Task<IActionResult> StartUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Bundles)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(StartUpload), ManagementJsonContext.Default.CreateBundleRequest,
            (call, body, _, ct) => service.StartUploadAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(CommitUpload))]
    [ManagementOperation(ApiRole.Upload, "Verify size and SHA-256 of the staged zip, store it content-addressed and immutable, build its per-file manifest (partial updates), then make the version visible.", Response = typeof(BundleDto))]
    public Task<IActionResult> CommitUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.BundleCommit)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CommitUpload),
            (call, ct) => service.CommitUploadAsync(call.Caller, call.Route("app"), call.Route("version"), ct), cancellationToken);
}
