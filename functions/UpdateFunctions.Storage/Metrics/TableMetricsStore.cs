using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Storage.Metrics;

/// <summary>
/// <see cref="IMetricsStore"/> on the Table Storage table <c>{prefix}metrics</c> (keys: <see cref="MetricsTableKeys"/>).
/// One row per (key, Event Hubs partition); each row stores the counters (one Int64 property per non-zero
/// <see cref="MetricCounter"/>, named after it), the device sketch (<c>Devices</c>, binary, ≤ 4098 bytes), the sketch
/// of devices rolled back off the bundle (<c>RolledBack</c>, only when any) and
/// <c>LastSequenceNumber</c>, the last sequence number of its partition it has applied.
/// </summary>
/// <remarks>
/// Applying a batch is, per key: read the row with its ETag → take what the row has not applied yet
/// (<see cref="MetricsBatch.PendingFor"/>; nothing on a redelivery) → merge → replace with <c>If-Match</c> (or insert
/// when new); a 412 or 409 means another writer got there first (a 404, that the row went), so read, merge and write again. Keys are written in
/// parallel (bounded); a crash part-way leaves written rows marked with the batch's sequence number, so the
/// redelivered batch skips them and writes the rest (see <see cref="MetricsBatch"/> for the exactness argument).
/// </remarks>
public sealed partial class TableMetricsStore : IMetricsStore
{
    public const string TableName = "metrics";

    internal const string LastSequenceNumberProperty = "LastSequenceNumber";
    internal const string DevicesProperty = "Devices";
    internal const string RolledBackProperty = "RolledBack";

    private const int MaxAttempts = 20;

    private readonly TableClient _table;
    private readonly TableClient _dailyTable;
    private readonly ILogger<TableMetricsStore> _logger;
    private readonly int _maxParallelWrites;
    private readonly Lock _createGate = new();
    private Task? _created;
    private Task? _dailyCreated;

    /// <param name="tablePrefix">Prefix of every table name (letters and digits; empty in production).</param>
    /// <param name="maxParallelWrites">Keys of one batch written at the same time.</param>
    public TableMetricsStore(TableServiceClient tables, string tablePrefix, ILogger<TableMetricsStore> logger, int maxParallelWrites = 16)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(tablePrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelWrites, 1);
        _table = tables.GetTableClient(tablePrefix + TableName);
        _dailyTable = tables.GetTableClient(tablePrefix + DailyTableName);
        _logger = logger;
        _maxParallelWrites = maxParallelWrites;
    }

    public string TableFullName => _table.Name;

    public async Task<MetricsApplyResult> ApplyBatchAsync(MetricsBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Keys.Count == 0)
            return new MetricsApplyResult(0, 0, 0, 0);
        await EnsureTableAsync(cancellationToken);

        int written = 0, skipped = 0, partial = 0, conflicts = 0;
        await Parallel.ForEachAsync(
            batch.Keys,
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallelWrites, CancellationToken = cancellationToken },
            async (key, token) =>
            {
                var outcome = await ApplyKeyAsync(batch, key, token);
                Interlocked.Add(ref conflicts, outcome.Conflicts);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Skipped:
                        Interlocked.Increment(ref skipped);
                        break;
                    case OutcomeKind.Partial:
                        Interlocked.Increment(ref partial);
                        Interlocked.Increment(ref written);
                        break;
                    default:
                        Interlocked.Increment(ref written);
                        break;
                }
            });

        var result = new MetricsApplyResult(written, skipped, partial, conflicts);
        LogBatchApplied(batch.PartitionId, batch.FirstSequenceNumber, batch.LastSequenceNumber, written, skipped, partial, conflicts);
        return result;
    }

    public async Task<IReadOnlyList<MetricsRow>> QueryAsync(string appId, DateTimeOffset fromHour, DateTimeOffset untilHour, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        var rows = new List<MetricsRow>();
        if (untilHour <= fromHour)
            return rows;
        await EnsureTableAsync(cancellationToken);

        var firstDay = DateOnly.FromDateTime(fromHour.UtcDateTime);
        var lastDay = DateOnly.FromDateTime(untilHour.UtcDateTime.AddTicks(-1));
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {MetricsTableKeys.PartitionKey(appId, firstDay)} and PartitionKey le {MetricsTableKeys.PartitionKey(appId, lastDay)}");
        try
        {
            // Days past the hourly window live in the daily table; a day rolled up there is read from there only,
            // whatever hourly rows of it a stopped run left behind.
            var (daily, rolledUp) = await QueryDailyAsync(appId, firstDay, lastDay, cancellationToken);
            rows.AddRange(daily.Where(row => row.Key.HourStart >= TruncateToDay(fromHour) && row.Key.HourStart < untilHour));
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var row = ToRow(entity);
                if (row.Key.HourStart >= fromHour && row.Key.HourStart < untilHour && !rolledUp.Contains(row.Key.Day))
                    rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"Table '{_table.Name}' could not be queried.", ex);
        }

        return rows;
    }

    private async Task<KeyOutcome> ApplyKeyAsync(MetricsBatch batch, MetricKey key, CancellationToken cancellationToken)
    {
        var partitionKey = MetricsTableKeys.PartitionKey(key.AppId, key.Day);
        var rowKey = MetricsTableKeys.RowKey(key, batch.PartitionId);
        var conflicts = 0;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                var response = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
                var existing = response.HasValue ? response.Value : null;
                var appliedThrough = existing?.GetInt64(LastSequenceNumberProperty) ?? long.MinValue;
                var pending = batch.PendingFor(key, appliedThrough);
                if (pending is null)
                    return new KeyOutcome(OutcomeKind.Skipped, conflicts);

                var counters = existing is null ? new MetricCounters() : ReadCounters(existing);
                counters.Merge(pending);
                var entity = ToEntity(partitionKey, rowKey, key, batch.PartitionId, Math.Max(appliedThrough, batch.LastSequenceNumber), counters);
                if (existing is null)
                    await _table.AddEntityAsync(entity, cancellationToken);
                else
                    await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken);

                var kind = existing is not null && appliedThrough >= batch.SequenceRange(key).First ? OutcomeKind.Partial : OutcomeKind.Written;
                return new KeyOutcome(kind, conflicts);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                conflicts++;
                LogWriteConflict(partitionKey, rowKey, attempt, ex.Status);
            }
            catch (RequestFailedException ex) when (IsUnavailable(ex))
            {
                throw new StorageUnavailableException($"Table '{_table.Name}' could not be written.", ex);
            }
        }

        throw new ConcurrencyConflictException(
            $"Metrics row '{partitionKey}'/'{rowKey}' kept changing under {MaxAttempts} read-merge-write attempts.");
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken) => EnsureAsync(_table, ref _created, cancellationToken);

    /// <summary>Creates a table once per store (again after a failed try); callers wait for the same creation.</summary>
    private Task EnsureAsync(TableClient client, ref Task? creation, CancellationToken cancellationToken)
    {
        lock (_createGate)
        {
            if (creation is null || creation.IsFaulted || creation.IsCanceled)
                creation = client.CreateIfNotExistsAsync(cancellationToken);
            return creation.WaitAsync(cancellationToken);
        }
    }

    private static DateTimeOffset TruncateToDay(DateTimeOffset time) => new(time.UtcDateTime.Date, TimeSpan.Zero);

    private static bool IsUnavailable(RequestFailedException ex) => ex.Status is 0 or 408 or 429 or >= 500;

    internal static TableEntity ToEntity(string partitionKey, string rowKey, MetricKey key, string partitionId, long lastSequenceNumber, MetricCounters counters)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["AppId"] = key.AppId,
            ["Day"] = key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Hour"] = key.Hour,
            ["Channel"] = key.Channel,
            ["Platform"] = key.Platform.ToWire(),
            ["Bundle"] = key.BundleVersion,
            ["Segment"] = key.Segment,
            ["PartitionId"] = partitionId,
            [LastSequenceNumberProperty] = lastSequenceNumber,
            [DevicesProperty] = counters.Devices.ToBytes(),
        };
        if (counters.HasRolledBack)
            entity[RolledBackProperty] = counters.RolledBack.ToBytes();
        var counts = counters.Counts;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
                entity[StatsActions.StorageName((MetricCounter)i)] = counts[i];
        }

        return entity;
    }

    internal static MetricsRow ToRow(TableEntity entity)
    {
        if (!PlatformNames.TryParse(entity.GetString("Platform"), out var platform))
            throw new FormatException($"Metrics row '{entity.PartitionKey}'/'{entity.RowKey}' has an unknown platform.");
        var key = new MetricKey(
            entity.GetString("AppId"),
            DateOnly.ParseExact(entity.GetString("Day"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            entity.GetInt32("Hour") ?? 0,
            entity.GetString("Channel") ?? "",
            platform,
            entity.GetString("Bundle"),
            entity.GetString("Segment"));
        return new MetricsRow(key, entity.GetString("PartitionId"), entity.GetInt64(LastSequenceNumberProperty) ?? long.MinValue, ReadCounters(entity));
    }

    internal static MetricCounters ReadCounters(TableEntity entity)
    {
        Span<long> counts = stackalloc long[StatsActions.CounterCount];
        for (var i = 0; i < counts.Length; i++)
            counts[i] = entity.GetInt64(StatsActions.StorageName((MetricCounter)i)) ?? 0;
        var devices = entity.GetBinary(DevicesProperty) is { } bytes ? HyperLogLog.FromBytes(bytes) : new HyperLogLog();
        var rolledBack = entity.GetBinary(RolledBackProperty) is { } rolled ? HyperLogLog.FromBytes(rolled) : null;
        return MetricCounters.FromStored(counts, devices, rolledBack);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied metrics batch of partition {PartitionId} ({FirstSequenceNumber}..{LastSequenceNumber}): {Written} rows written, {Skipped} skipped as already applied, {Partial} partly applied, {Conflicts} conflicts retried")]
    private partial void LogBatchApplied(string partitionId, long firstSequenceNumber, long lastSequenceNumber, int written, int skipped, int partial, int conflicts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics row {PartitionKey}/{RowKey} changed under attempt {Attempt} (status {Status}); reading it again")]
    private partial void LogWriteConflict(string partitionKey, string rowKey, int attempt, int status);

    private enum OutcomeKind
    {
        Written,
        Partial,
        Skipped,
    }

    private readonly record struct KeyOutcome(OutcomeKind Kind, int Conflicts);
}
