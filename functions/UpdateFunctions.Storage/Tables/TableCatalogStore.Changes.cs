using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Tables;

/// <summary>The change log: every write is followed by an entry in table <c>changes</c> (docs/read-path.md).</summary>
public sealed partial class TableCatalogStore
{
    /// <summary>Rows per batch transaction (the service's limit; one partition per batch).</summary>
    internal const int BatchSize = 100;

    // Tells this process's log entries apart from another's written in the same tick.
    private readonly string _writerId = Guid.NewGuid().ToString("N")[..12];
    private long _lastPosition;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AppLog> _logs = new(StringComparer.Ordinal);

    public event EventHandler<CatalogChange>? Written;

    public TimeSpan Overlap { get; }

    public async Task<IReadOnlyList<CatalogChange>> ReadChangesAsync(string appId, long afterPosition, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {appId} and RowKey ge {ChangeEntity.From(afterPosition + 1)}");
        var rows = await QueryAsync<ChangeEntity>(_changes, filter, $"reading {_changes.Name}/{appId}", cancellationToken);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public async Task<int> TrimChangesAsync(string appId, long beforePosition, int maxEntries, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {appId} and RowKey lt {ChangeEntity.From(beforePosition)}");
        var rows = await QueryAsync<TableEntity>(_changes, filter, $"reading {_changes.Name}/{appId}", cancellationToken, ["PartitionKey", "RowKey"], maxEntries);
        foreach (var chunk in rows.Chunk(BatchSize))
        {
            await SubmitAsync(_changes, chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r)),
                $"trimming {_changes.Name}/{appId}", cancellationToken);
        }
        return rows.Count;
    }

    /// <summary>A change positioned now, before its row is written: a later write of the same row gets a later position.</summary>
    private CatalogChange Change(string appId, CatalogEntityKind kind, string key, object? value) =>
        new(appId, kind, key, NextPosition(), Known: true, value);

    private async Task<string> PutRecordedAsync<T>(LazyTable table, T entity, WriteCondition condition, CatalogChange change, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var etag = await PutAsync(table, entity, condition, cancellationToken);
        await RecordAsync([change], cancellationToken);
        return etag;
    }

    private async Task DeleteRecordedAsync(
        LazyTable table, string partitionKey, string rowKey, WriteCondition condition, CatalogChange change, CancellationToken cancellationToken)
    {
        await DeleteAsync(table, partitionKey, rowKey, condition, cancellationToken);
        await RecordAsync([change], cancellationToken);
    }

    /// <summary>
    /// Applies the changes to this instance's snapshots, then logs them (one transaction per 100). An entry that only
    /// became visible after half the overlap may already be behind a reader's position, so it is logged again as a
    /// refetch at a fresh position: readers then read the row itself.
    /// </summary>
    private async Task RecordAsync(List<CatalogChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
            Written?.Invoke(this, change);
        await AppendAsync(changes, refetch: false, cancellationToken);
        if (changes.Count > 0 && _clock.GetUtcNow().UtcTicks - changes[0].Position > Overlap.Ticks / 2)
            await AppendAsync(changes.Select(c => c with { Position = NextPosition() }).ToList(), refetch: true, cancellationToken);
    }

    /// <summary>
    /// Group commit: entries of one app queue up while a batch of the same app is being written, and go out together
    /// (one transaction of up to 100), so a storm of writes costs a few log transactions per second, not one per write.
    /// Each caller returns once its own entries are stored.
    /// </summary>
    private Task AppendAsync(List<CatalogChange> changes, bool refetch, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
            return Task.CompletedTask;
        var log = _logs.GetOrAdd(changes[0].AppId, static appId => new AppLog());
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = changes.Count;
        bool flush;
        lock (log)
        {
            foreach (var change in changes)
                log.Pending.Enqueue((ChangeEntity.From(change, _writerId, refetch), done, () => Interlocked.Decrement(ref remaining) == 0));
            flush = !log.Flushing;
            log.Flushing = true;
        }
        // The flush outlives the request that started it (others' entries ride along), so it takes no request's token.
        if (flush)
            _ = Task.Run(() => FlushAsync(changes[0].AppId, log), CancellationToken.None);
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(string appId, AppLog log)
    {
        while (true)
        {
            var batch = new List<(ChangeEntity Entity, TaskCompletionSource Done, Func<bool> Last)>(BatchSize);
            lock (log)
            {
                while (batch.Count < BatchSize && log.Pending.TryDequeue(out var item))
                    batch.Add(item);
                if (batch.Count == 0)
                {
                    log.Flushing = false;
                    return;
                }
            }
            try
            {
                if (batch.Count == 1)
                    await PutAsync(_changes, batch[0].Entity, WriteCondition.Any, CancellationToken.None);
                else
                    await SubmitAsync(_changes, batch.Select(b => new TableTransactionAction(TableTransactionActionType.UpsertReplace, b.Entity)),
                        $"logging {batch.Count} change(s) of {appId}", CancellationToken.None);
                foreach (var (_, done, last) in batch)
                {
                    if (last())
                        done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                // The writers whose entries were in the batch get the failure (their rows are written, their log entries not).
                foreach (var (_, done, _) in batch)
                    done.TrySetException(ex);
            }
        }
    }

    /// <summary>The entries of one app waiting to be logged, and whether a flush is running.</summary>
    private sealed class AppLog
    {
        public Queue<(ChangeEntity Entity, TaskCompletionSource Done, Func<bool> Last)> Pending { get; } = new();
        public bool Flushing { get; set; }
    }

    /// <summary>UTC ticks, strictly increasing within this process.</summary>
    private long NextPosition()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _lastPosition);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastPosition, next, last) == last)
                return next;
        }
    }

    private static async Task SubmitAsync(LazyTable table, IEnumerable<TableTransactionAction> actions, string what, CancellationToken cancellationToken)
    {
        try
        {
            var client = await table.GetAsync(cancellationToken);
            await client.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    /// <summary>Device changes carry the row; the key is the device id.</summary>
    private static CatalogChange DeviceChange(string appId, DeviceRecord? record, string deviceId, long position) =>
        new(appId, CatalogEntityKind.Device, deviceId, position, Known: true, record);
}
