using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Management;

/// <summary>The metrics call of the management API: the query read from the URL, and the app checked to exist.</summary>
public sealed class AppMetricsService(ICatalogStore catalog, MetricsQueryService metrics, TimeProvider clock)
{
    public async Task<ManagementResult<MetricsReport>> GetAsync(string appId, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken)
    {
        if (!MetricsQuery.TryParse(appId, query, clock.GetUtcNow(), out var parsed, out var error))
            return ManagementError.Invalid(error.Code, error.Message);
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return ManagementError.NotFound(ManagementErrors.AppNotFound, $"App {appId} does not exist.");
        return ManagementResult.Ok(await metrics.QueryAsync(parsed, cancellationToken));
    }
}
