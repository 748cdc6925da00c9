using System.Collections.Concurrent;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Device rows: one of <see cref="DevicePartitions.Buckets"/> partitions per app, old-layout rows still read.</summary>
public sealed partial class TableCatalogStore
{
    /// <summary>Partitions read or written at once by a listing or an import.</summary>
    private const int Parallelism = 8;

    /// <summary>Marks the ETag of a row still in the old layout (partition = app id), so a guarded write can move it.</summary>
    private const string LegacyETagPrefix = "legacy;";

    // Apps known to have (or not) old-layout device rows: most never do, and then no write pays for a second look.
    private readonly ConcurrentDictionary<string, bool> _legacyDevices = new(StringComparer.Ordinal);

    public async Task<Versioned<DeviceRecord>?> GetDeviceAsync(string appId, string deviceId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(deviceId, nameof(deviceId));
        var entity = await GetAsync<DeviceEntity>(_devices, DevicePartitions.Of(appId, deviceId), deviceId, cancellationToken);
        if (entity is not null)
            return new(entity.ToDomain(), entity.ETag.ToString());
        if (!await HasLegacyDevicesAsync(appId, cancellationToken))
            return null;
        var legacy = await GetAsync<DeviceEntity>(_devices, appId, deviceId, cancellationToken);
        return legacy is null ? null : new(legacy.ToDomain(), LegacyETagPrefix + legacy.ETag);
    }

    public async Task<string> PutDeviceAsync(string appId, DeviceRecord device, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(device.DeviceId, nameof(device));
        var change = DeviceChange(appId, device, device.DeviceId, NextPosition());
        string etag;
        if (condition.IfMatch is { } ifMatch && ifMatch.StartsWith(LegacyETagPrefix, StringComparison.Ordinal))
        {
            // Moving an old-layout row: remove it as read (a conflict if it changed), then create it in its bucket.
            await DeleteAsync(_devices, appId, device.DeviceId, WriteCondition.Matching(ifMatch[LegacyETagPrefix.Length..]), cancellationToken);
            etag = await PutAsync(_devices, DeviceEntity.From(appId, device), WriteCondition.Create, cancellationToken);
        }
        else
        {
            var legacy = condition.IfMatch is null && await HasLegacyDevicesAsync(appId, cancellationToken);
            // "Must not exist" covers a row still in the old layout too.
            if (legacy && condition.MustNotExist && await GetAsync<DeviceEntity>(_devices, appId, device.DeviceId, cancellationToken) is not null)
                throw new ConcurrencyConflictException($"Conflict writing {_devices.Name}/{appId}/{device.DeviceId}: the row already exists (old layout).");
            etag = await PutAsync(_devices, DeviceEntity.From(appId, device), condition, cancellationToken);
            if (legacy)
                await DeleteAsync(_devices, appId, device.DeviceId, WriteCondition.Any, cancellationToken);
        }
        await RecordAsync([change], cancellationToken);
        return etag;
    }

    public async Task DeleteDeviceAsync(string appId, string deviceId, WriteCondition condition, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(deviceId, nameof(deviceId));
        var change = DeviceChange(appId, null, deviceId, NextPosition());
        if (condition.IfMatch is { } ifMatch && ifMatch.StartsWith(LegacyETagPrefix, StringComparison.Ordinal))
        {
            await DeleteAsync(_devices, appId, deviceId, WriteCondition.Matching(ifMatch[LegacyETagPrefix.Length..]), cancellationToken);
        }
        else
        {
            await DeleteAsync(_devices, DevicePartitions.Of(appId, deviceId), deviceId, condition, cancellationToken);
            if (condition.IfMatch is null && await HasLegacyDevicesAsync(appId, cancellationToken))
                await DeleteAsync(_devices, appId, deviceId, WriteCondition.Any, cancellationToken);
        }
        await RecordAsync([change], cancellationToken);
    }

    /// <summary>Every device row of the app: the buckets read <see cref="Parallelism"/> at a time, plus old-layout rows (a bucket row wins).</summary>
    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string appId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        var buckets = new List<DeviceEntity>[DevicePartitions.Buckets];
        var legacy = QueryPartitionAsync<DeviceEntity>(_devices, appId, cancellationToken);
        await Parallel.ForEachAsync(Enumerable.Range(0, DevicePartitions.Buckets),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (bucket, token) => buckets[bucket] = await QueryPartitionAsync<DeviceEntity>(_devices, DevicePartitions.Bucket(appId, bucket), token));
        var legacyRows = await legacy;
        _legacyDevices[appId] = legacyRows.Count > 0;

        var rows = new List<DeviceRecord>(buckets.Sum(b => b.Count) + legacyRows.Count);
        foreach (var bucket in buckets)
            rows.AddRange(bucket.Select(e => e.ToDomain()));
        if (legacyRows.Count > 0)
        {
            var moved = rows.Select(r => r.DeviceId).ToHashSet(StringComparer.Ordinal);
            rows.AddRange(legacyRows.Where(e => !moved.Contains(e.RowKey)).Select(e => e.ToDomain()));
        }
        return rows;
    }

    /// <summary>
    /// An import: upserts in batch transactions of up to 100 rows of one bucket, <see cref="Parallelism"/> at a time, then
    /// logs one <see cref="CatalogChange.ImportKey"/> change instead of a change per row: readers reload the device rows
    /// once (from the snapshot blob the import is followed by, when it is new enough) rather than replay the import row by row.
    /// </summary>
    public async Task PutDevicesAsync(string appId, IReadOnlyList<DeviceRecord> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        StorageKeys.Check(appId, nameof(appId));
        foreach (var device in devices)
            StorageKeys.Check(device.DeviceId, nameof(devices));
        var legacy = await HasLegacyDevicesAsync(appId, cancellationToken);
        var rowsAt = NextPosition();
        var batches = devices.GroupBy(d => DevicePartitions.Of(appId, d.DeviceId), StringComparer.Ordinal).SelectMany(g => g.Chunk(BatchSize));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                await SubmitAsync(_devices, batch.Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace, DeviceEntity.From(appId, d))),
                    $"importing {batch.Length} device(s) of {appId}", token);
                if (legacy)
                {
                    foreach (var device in batch)
                        await DeleteAsync(_devices, appId, device.DeviceId, WriteCondition.Any, token);
                }
                // This instance's snapshots take the rows as they land.
                foreach (var device in batch)
                    Written?.Invoke(this, DeviceChange(appId, device, device.DeviceId, rowsAt));
            });
        // Positioned once every row is written: a snapshot taken after this position holds the whole import.
        await RecordAsync([new CatalogChange(appId, CatalogEntityKind.Device, CatalogChange.ImportKey, NextPosition(), Known: false, Value: null)], cancellationToken);
    }

    private async ValueTask<bool> HasLegacyDevicesAsync(string appId, CancellationToken cancellationToken)
    {
        if (_legacyDevices.TryGetValue(appId, out var known))
            return known;
        var any = await QueryAsync<TableEntity>(_devices, TableClient.CreateQueryFilter($"PartitionKey eq {appId}"),
            $"reading {_devices.Name}/{appId}", cancellationToken, ["RowKey"], take: 1);
        return _legacyDevices[appId] = any.Count > 0;
    }
}
