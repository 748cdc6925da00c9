using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Functions.Devices;

/// <summary><c>POST /api/stats</c>: the plugin's <c>statsUrl</c>. Answers before aggregation.</summary>
public sealed class StatsFunction(StatsHandler handler, IOptions<DeviceApiOptions> options)
{
    [Function(nameof(StatsFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stats")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxStatsBodyBytes, handler.HandleAsync, cancellationToken);
}
