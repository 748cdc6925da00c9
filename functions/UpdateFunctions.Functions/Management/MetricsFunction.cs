using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Devices;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/apps/{app}/metrics</c>: the aggregated telemetry of an app.</summary>
public sealed class MetricsFunction(ManagementHttp http, AppMetricsService service)
{
    [Function(nameof(GetMetrics))]
    [ManagementOperation(ApiRole.Read, "Update adoption, success and failure rates and sessions, summed across partitions (query: from, to (ISO 8601; default the last 24 h), groupBy = channel,platform,bundle,segment, interval = hour|day|total, segment).", Response = typeof(MetricsReport))]
    public Task<IActionResult> GetMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Metrics)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetMetrics),
            (call, ct) => service.GetAsync(call.Route("app"), DeviceHttp.QueryOf(request), ct), cancellationToken);
}
