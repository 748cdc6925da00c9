using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Retention;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Storage.Metrics;

/// <summary>
/// Retention on the Table store: daily rows in <c>{prefix}metricsdaily</c>, same PartitionKey as the hourly table
/// (app id <c>|</c> day), RowKey = segment <c>|</c> channel <c>|</c> platform <c>|</c> bundle; a day that has been rolled
/// up carries the mark row <see cref="RolledUpRowKey"/> (a data RowKey never starts with <c>|</c>, components are encoded).
/// </summary>
public sealed partial class TableMetricsStore : IMetricsRetentionStore
{
    public const string DailyTableName = "metricsdaily";

    /// <summary>The RowKey of a day's "rolled up" mark in the daily table.</summary>
    internal const string RolledUpRowKey = "|rolled-up";

    // Entity group transactions take at most 100 operations, all of one partition.
    private const int TransactionSize = 100;

    internal TableClient HourlyTableForTests => _table;

    internal TableClient DailyTableForTests => _dailyTable;

    public async Task<IReadOnlyList<DateOnly>> ListHourlyDaysAsync(string appId, DateOnly before, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        await EnsureTableAsync(cancellationToken);
        var days = new List<DateOnly>();
        // A skip scan: each query seeks to the first row of the next day and reads one row.
        var from = MetricsTableKeys.PartitionKey(appId, DateOnly.MinValue);
        var until = MetricsTableKeys.PartitionKey(appId, before);
        try
        {
            while (days.Count < max)
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {until}");
                var first = await FirstAsync(_table, filter, cancellationToken);
                if (first is null)
                    break;
                var day = DayOf(first.PartitionKey);
                days.Add(day);
                from = MetricsTableKeys.PartitionKey(appId, day.AddDays(1));
            }
        }
        catch (RequestFailedException ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"Table '{_table.Name}' could not be listed.", ex);
        }
        return days;
    }

    public async Task<DayRollup> RollUpDayAsync(string appId, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        await EnsureTableAsync(cancellationToken);
        await EnsureDailyTableAsync(cancellationToken);
        var partitionKey = MetricsTableKeys.PartitionKey(appId, day);
        try
        {
            var marked = (await _dailyTable.GetEntityIfExistsAsync<TableEntity>(partitionKey, RolledUpRowKey, cancellationToken: cancellationToken)).HasValue;
            var hourly = new List<TableEntity>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
                hourly.Add(entity);

            var written = 0;
            if (!marked)
            {
                // Every hourly row of the day is still here (deletion starts after the mark): compute and replace.
                var daily = MetricsRollup.Daily(hourly.Select(ToRow));
                foreach (var chunk in daily.Chunk(TransactionSize))
                {
                    await _dailyTable.SubmitTransactionAsync(
                        chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToDailyEntity(partitionKey, row))),
                        cancellationToken);
                }
                written = daily.Count;
                await _dailyTable.UpsertEntityAsync(new TableEntity(partitionKey, RolledUpRowKey) { ["Rows"] = written }, TableUpdateMode.Replace, cancellationToken);
            }

            foreach (var chunk in hourly.Chunk(TransactionSize))
            {
                await _table.SubmitTransactionAsync(
                    chunk.Select(entity => new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All)), cancellationToken);
            }
            LogDayRolledUp(appId, day, written, hourly.Count, marked);
            return new DayRollup(written, hourly.Count, marked);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // A row went meanwhile (another run deleting the same day): the next run finishes the day.
            throw new ConcurrencyConflictException($"Metrics day '{partitionKey}' changed while it was rolled up.", ex);
        }
        catch (RequestFailedException ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"Metrics day '{partitionKey}' could not be rolled up.", ex);
        }
    }

    public async Task<int> DeleteDailyAsync(string appId, DateOnly before, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        await EnsureDailyTableAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {MetricsTableKeys.PartitionKey(appId, DateOnly.MinValue)} and PartitionKey lt {MetricsTableKeys.PartitionKey(appId, before)}");
        var deleted = 0;
        try
        {
            var doomed = new List<TableEntity>();
            await foreach (var entity in _dailyTable.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                doomed.Add(entity);
                if (doomed.Count >= max)
                    break;
            }
            // A day's mark goes last, with the day's last rows: a crash never leaves rows of an unmarked day behind.
            foreach (var partition in doomed.GroupBy(e => e.PartitionKey))
            {
                var ordered = partition.OrderBy(e => e.RowKey == RolledUpRowKey ? 1 : 0).ToList();
                foreach (var chunk in ordered.Chunk(TransactionSize))
                {
                    await _dailyTable.SubmitTransactionAsync(
                        chunk.Select(entity => new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All)), cancellationToken);
                    deleted += chunk.Length;
                }
            }
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            throw new ConcurrencyConflictException($"Daily metrics of '{appId}' changed while they were deleted.", ex);
        }
        catch (RequestFailedException ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"Table '{_dailyTable.Name}' could not be pruned.", ex);
        }
        return deleted;
    }

    public async Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await EnsureDailyTableAsync(cancellationToken);
        var apps = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var source in new[] { _table, _dailyTable })
            {
                // A skip scan over partition keys: one row per app ("app|" then the day's digits, ':' sorts after them).
                var from = "";
                while (await FirstAsync(source, TableClient.CreateQueryFilter($"PartitionKey ge {from}"), cancellationToken) is { } first)
                {
                    var separator = first.PartitionKey.LastIndexOf(MetricsTableKeys.Separator);
                    var app = first.PartitionKey[..separator];
                    apps.Add(first.GetString("AppId") ?? app);
                    from = app + MetricsTableKeys.Separator + ":";
                }
            }
        }
        catch (RequestFailedException ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"Table '{_table.Name}' could not be listed.", ex);
        }
        return [.. apps];
    }

    /// <summary>The app's daily rows of days in [<paramref name="firstDay"/>, <paramref name="lastDay"/>], and the days marked rolled up.</summary>
    private async Task<(List<MetricsRow> Rows, HashSet<DateOnly> RolledUp)> QueryDailyAsync(string appId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var rows = new List<MetricsRow>();
        var rolledUp = new HashSet<DateOnly>();
        await EnsureDailyTableAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {MetricsTableKeys.PartitionKey(appId, firstDay)} and PartitionKey le {MetricsTableKeys.PartitionKey(appId, lastDay)}");
        var candidates = new List<TableEntity>();
        await foreach (var entity in _dailyTable.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == RolledUpRowKey)
                rolledUp.Add(DayOf(entity.PartitionKey));
            else
                candidates.Add(entity);
        }
        // Daily rows of a day not marked yet are a roll-up that stopped before its end: the hourly rows still count.
        rows.AddRange(candidates.Where(e => rolledUp.Contains(DayOf(e.PartitionKey))).Select(ToRow));
        return (rows, rolledUp);
    }

    internal static TableEntity ToDailyEntity(string partitionKey, MetricsRow row)
    {
        var key = row.Key;
        var rowKey = string.Join(MetricsTableKeys.Separator,
            MetricsTableKeys.Encode(key.Segment), MetricsTableKeys.Encode(key.Channel), key.Platform.ToWire(), MetricsTableKeys.Encode(key.BundleVersion));
        return ToEntity(partitionKey, rowKey, key, row.PartitionId, long.MinValue, row.Counters);
    }

    private static async Task<TableEntity?> FirstAsync(TableClient source, string filter, CancellationToken cancellationToken)
    {
        await foreach (var page in source.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
                return page.Values[0];
            if (page.ContinuationToken is null)
                return null;
        }
        return null;
    }

    private static DateOnly DayOf(string partitionKey) =>
        DateOnly.ParseExact(partitionKey[(partitionKey.LastIndexOf(MetricsTableKeys.Separator) + 1)..], "yyyyMMdd", CultureInfo.InvariantCulture);

    private Task EnsureDailyTableAsync(CancellationToken cancellationToken) => EnsureAsync(_dailyTable, ref _dailyCreated, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics of {AppId} on {Day}: {DailyRows} daily rows written, {HourlyRows} hourly rows deleted (already rolled up: {AlreadyRolledUp})")]
    private partial void LogDayRolledUp(string appId, DateOnly day, int dailyRows, int hourlyRows, bool alreadyRolledUp);
}
