using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Functions.Devices;

namespace UpdateFunctions.Functions.Routing;

/// <summary>
/// Takes every request under <c>/api/</c> that no other function takes (a catch-all route has the lowest precedence,
/// in the Functions host and on LocalHost alike) and answers 404 <c>not_found</c> or 405 <c>method_not_allowed</c>
/// as JSON, instead of the hosts' empty bodies.
/// </summary>
public sealed class FallbackFunction
{
    public const string Route = "{*path}";

    [Function(nameof(FallbackFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = Route)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = HttpRouteTable.Answer(request.Method, request.Path, out var allow);
        return Task.FromResult<IActionResult>(new DeviceResult(answer) { Allow = allow });
    }
}
