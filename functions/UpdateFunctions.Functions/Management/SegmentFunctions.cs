using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/segments</c>: named device groups, and why a device is (not) in one.</summary>
public sealed class SegmentFunctions(ManagementHttp http, ManagementService service)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    [Function(nameof(ListSegments))]
    public Task<IActionResult> ListSegments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Segments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListSegments, (call, ct) => service.ListSegmentsAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetSegment))]
    public Task<IActionResult> GetSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetSegment, (call, ct) => service.GetSegmentAsync(call.Route("app"), call.Route("name"), ct), cancellationToken);

    [Function(nameof(PutSegment))]
    public Task<IActionResult> PutSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.PutSegment, Json.JsonElement,
            (call, body, _, ct) => service.PutSegmentAsync(call.Caller, call.Route("app"), call.Route("name"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteSegment))]
    public Task<IActionResult> DeleteSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteSegment,
            (call, ct) => service.DeleteSegmentAsync(call.Caller, call.Route("app"), call.Route("name"), call.IfMatch, ct), cancellationToken);

    [Function(nameof(MatchSegment))]
    public Task<IActionResult> MatchSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.SegmentMatch)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.MatchSegment, Json.JsonElement,
            (call, body, _, ct) => service.MatchSegmentAsync(call.Route("app"), call.Route("name"), body, ct), cancellationToken);
}
