using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/segments</c>: named device groups, and why a device is (not) in one.</summary>
public sealed class SegmentFunctions(ManagementHttp http, SegmentService service)
{
    [Function(nameof(ListSegments))]
    [ManagementOperation(ApiRole.Read, "The app's segments (named device groups: conditions over platform, versions, custom_id, channel, build flags, device ids; match all or any).", Response = typeof(List<System.Text.Json.JsonElement>))]
    public Task<IActionResult> ListSegments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Segments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListSegments), (call, ct) => service.ListSegmentsAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetSegment))]
    [ManagementOperation(ApiRole.Read, "One segment, with its ETag.", Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> GetSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetSegment), (call, ct) => service.GetSegmentAsync(call.Route("app"), call.Route("name"), ct), cancellationToken);

    [Function(nameof(MatchSegment))]
    [ManagementOperation(ApiRole.Read, "Explain whether a device (the plugin's device info in the body) is in the segment, condition by condition.", Request = typeof(System.Text.Json.JsonElement), Response = typeof(SegmentMatchDto))]
    public Task<IActionResult> MatchSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.SegmentMatch)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(MatchSegment), ManagementJsonContext.Default.JsonElement,
            (call, body, _, ct) => service.MatchSegmentAsync(call.Route("app"), call.Route("name"), body, ct), cancellationToken);
}
