using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Devices;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/apps/{app}/metrics</c>: the aggregated telemetry of an app.</summary>
public sealed class MetricsFunction(ManagementHttp http, MetricsQueryService metrics, ICatalogStore catalog, TimeProvider clock)
{
    [Function(nameof(GetMetrics))]
    public Task<IActionResult> GetMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Metrics)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetMetrics, async (call, ct) =>
        {
            var appId = call.Route("app");
            if (!MetricsQuery.TryParse(appId, DeviceHttp.QueryOf(request), clock.GetUtcNow(), out var query, out var error))
                return ManagementError.Invalid(error.Code, error.Message);
            if (await catalog.GetAppAsync(appId, ct) is null)
                return ManagementError.NotFound(ManagementErrors.AppNotFound, $"App {appId} does not exist.");
            return ManagementResult.Ok(await metrics.QueryAsync(query, ct));
        }, cancellationToken);
}
