using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/segments/{name}</c>: create, replace and delete a segment.</summary>
public sealed class SegmentChangeFunctions(ManagementHttp http, SegmentService service)
{
    [Function(nameof(PutSegment))]
    [ManagementOperation(ApiRole.Write, "Create (201) or replace (200, If-Match honoured) a segment: {\"match\":\"all|any\",\"conditions\":[…]}.", Request = typeof(System.Text.Json.JsonElement), Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> PutSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(PutSegment), ManagementJsonContext.Default.JsonElement,
            (call, body, _, ct) => service.PutSegmentAsync(call.Caller, call.Route("app"), call.Route("name"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteSegment))]
    [ManagementOperation(ApiRole.Write, "Delete a segment.", Status = 204)]
    public Task<IActionResult> DeleteSegment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Segment)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteSegment),
            (call, ct) => service.DeleteSegmentAsync(call.Caller, call.Route("app"), call.Route("name"), call.IfMatch, ct), cancellationToken);
}
