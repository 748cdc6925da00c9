using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>What one compaction wrote and trimmed.</summary>
public sealed record CompactionResult(string AppId, int DeviceRows, long BlobBytes, int TrimmedChanges);

/// <summary>
/// Writes each app's device rows as one snapshot blob, positioned where the change log is certainly included (the
/// read started after everything positioned before now minus the overlap was visible), so a cold instance reads the
/// blob and only the changes after it. Then trims log entries older than both that position and the retention, at
/// most <see cref="MaxTrimPerRun"/> per app per run (a run stays bounded; the next one continues).
/// </summary>
public sealed partial class CatalogCompactor(
    ICatalogStore store, CatalogSnapshotBlobs blobs, IOptions<StorageOptions> options, TimeProvider clock, ILogger<CatalogCompactor> logger)
{
    public const int MaxTrimPerRun = 10_000;

    public async Task<IReadOnlyList<CompactionResult>> CompactAllAsync(CancellationToken cancellationToken)
    {
        var results = new List<CompactionResult>();
        foreach (var app in await store.ListAppsAsync(cancellationToken))
            results.Add(await CompactAsync(app.Id, cancellationToken));
        return results;
    }

    public async Task<CompactionResult> CompactAsync(string appId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appId);
        if (store is not IChangeTrackingCatalog tracking)
            throw new InvalidOperationException($"{store.GetType().Name} keeps no change log to compact.");

        var startedAt = clock.GetUtcNow().UtcTicks;
        var position = startedAt - tracking.Overlap.Ticks;
        var devices = await store.ListDevicesAsync(appId, cancellationToken);
        var bytes = await blobs.WriteAsync(appId, position, startedAt, devices, cancellationToken);
        var trimBefore = Math.Min(position, startedAt - options.Value.ChangeLogRetention.Ticks);
        var trimmed = await tracking.TrimChangesAsync(appId, trimBefore, MaxTrimPerRun, cancellationToken);
        LogCompacted(logger, appId, devices.Count, bytes, trimmed);
        return new CompactionResult(appId, devices.Count, bytes, trimmed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted app {AppId}: {DeviceRows} device rows in {Bytes} bytes; trimmed {Trimmed} change(s)")]
    private static partial void LogCompacted(ILogger logger, string appId, int deviceRows, long bytes, int trimmed);
}
