using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Storage.Snapshots;

namespace UpdateFunctions.Functions.Snapshots;

/// <summary>
/// Writes every app's compacted snapshot blob and trims its change log (docs/read-path.md), on the CRON schedule of the
/// <c>CATALOG_COMPACT_SCHEDULE</c> setting (every 5 minutes by default). LocalHost runs it on the same schedule.
/// </summary>
public sealed class CatalogCompactorFunction(CatalogCompactor compactor)
{
    [Function(nameof(CatalogCompactorFunction))]
    public async Task Run([TimerTrigger("%CATALOG_COMPACT_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await compactor.CompactAllAsync(cancellationToken);
    }
}
