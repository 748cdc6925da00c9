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
        // A packed row is keyed by its earliest change, so its later ones sort among other rows' changes.
        return rows.SelectMany(r => r.ToChanges()).OrderBy(c => c.Position).ToList();
    }

    public async Task<int> TrimChangesAsync(string appId, long beforePosition, int maxEntries, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        // A packed row is keyed by its earliest change and holds changes up to half the overlap later (a later one was
        // logged again): rows keyed an overlap before the bound hold nothing positioned after it.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {appId} and RowKey lt {ChangeEntity.From(beforePosition - Overlap.Ticks)}");
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
    /// Applies the changes to this instance's snapshots, then logs them. A log row that only became visible after half
    /// the overlap past its key (its earliest change) may already be behind a reader's position, so its changes are
    /// logged again as refetches at fresh positions: readers then read the row itself.
    /// </summary>
    private async Task RecordAsync(List<CatalogChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
            Written?.Invoke(this, change);
        var loggedFrom = await AppendAsync(changes, refetch: false, cancellationToken);
        // A refetch can share a row with another writer's late change too: then it goes out once more.
        for (var attempt = 0; attempt < 3 && changes.Count > 0 && _clock.GetUtcNow().UtcTicks - loggedFrom > Overlap.Ticks / 2; attempt++)
            loggedFrom = await AppendAsync(changes.Select(c => c with { Position = NextPosition() }).ToList(), refetch: true, cancellationToken);
    }

    /// <summary>
    /// Group commit: entries of one app queue up while a commit of the same app is being written, and go out together,
    /// packed into one log row (<see cref="ChangeBatchCodec"/>), so a storm of writes adds a few log rows per second,
    /// not one per write. Each caller returns once its own entries are stored, with the key (earliest position) of the
    /// earliest row that holds them.
    /// </summary>
    private Task<long> AppendAsync(List<CatalogChange> changes, bool refetch, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
            return Task.FromResult(long.MaxValue);
        var log = _logs.GetOrAdd(changes[0].AppId, static appId => new AppLog());
        var waiter = new LogWaiter(changes.Count);
        bool flush;
        lock (log)
        {
            foreach (var change in changes)
                log.Pending.Enqueue(new PendingChange(change, refetch, waiter));
            flush = !log.Flushing;
            log.Flushing = true;
        }
        // The flush outlives the request that started it (others' entries ride along), so it takes no request's token.
        if (flush)
            _ = Task.Run(() => FlushAsync(changes[0].AppId, log), CancellationToken.None);
        return waiter.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(string appId, AppLog log)
    {
        while (true)
        {
            List<PendingChange> batch;
            lock (log)
            {
                batch = new List<PendingChange>(Math.Min(log.Pending.Count, MaxChangesPerCommit));
                var bytes = 0;
                while (batch.Count < MaxChangesPerCommit && bytes < MaxBytesPerCommit && log.Pending.TryDequeue(out var item))
                {
                    batch.Add(item);
                    bytes += ChangeBatchCodec.MaxSize(item.Change);
                }
                if (batch.Count == 0)
                {
                    log.Flushing = false;
                    return;
                }
            }
            try
            {
                var rows = Pack(appId, batch);
                if (rows.Count == 1)
                    await PutAsync(_changes, rows[0].Entity, WriteCondition.Any, CancellationToken.None);
                else
                    await SubmitAsync(_changes, rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Entity)),
                        $"logging {batch.Count} change(s) of {appId}", CancellationToken.None);
                foreach (var (_, first, count, key) in rows)
                {
                    for (var i = first; i < first + count; i++)
                        batch[i].Waiter.Logged(key);
                }
            }
            catch (Exception ex)
            {
                // The writers whose entries were in the batch get the failure (their rows are written, their log entries not).
                foreach (var item in batch)
                    item.Waiter.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// The log rows of one commit: a change alone keeps the readable one-change form; several are packed, each row up to
    /// <see cref="ChangeBatchCodec.MaxBytes"/> and keyed by its earliest change. Rows cover <paramref name="batch"/> in order.
    /// </summary>
    private List<(ChangeEntity Entity, int First, int Count, long Key)> Pack(string appId, List<PendingChange> batch)
    {
        if (batch.Count == 1)
            return [(ChangeEntity.From(batch[0].Change, _writerId, batch[0].Refetch), 0, 1, batch[0].Change.Position)];

        var rows = new List<(ChangeEntity, int, int, long)>();
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true);
        var first = 0;
        var earliest = long.MaxValue;
        ChangeBatchCodec.WriteHeader(writer);
        for (var i = 0; i < batch.Count; i++)
        {
            writer.Flush();
            if (i > first && buffer.Length + ChangeBatchCodec.MaxSize(batch[i].Change) > ChangeBatchCodec.MaxBytes)
            {
                rows.Add((ChangeEntity.Packed(appId, earliest, _writerId, i - first, buffer.ToArray()), first, i - first, earliest));
                buffer.SetLength(0);
                ChangeBatchCodec.WriteHeader(writer);
                (first, earliest) = (i, long.MaxValue);
            }
            ChangeBatchCodec.Write(writer, batch[i].Change, batch[i].Refetch);
            earliest = Math.Min(earliest, batch[i].Change.Position);
        }
        writer.Flush();
        rows.Add((ChangeEntity.Packed(appId, earliest, _writerId, batch.Count - first, buffer.ToArray()), first, batch.Count - first, earliest));
        return rows;
    }

    /// <summary>Changes per commit: a few packed rows, far below a transaction's 100 rows.</summary>
    private const int MaxChangesPerCommit = 1_000;

    /// <summary>Packed bytes per commit: base64 in the request makes it ≈ 2.7 MB, under a transaction's 4 MiB.</summary>
    private const int MaxBytesPerCommit = 2_000_000;

    /// <summary>The entries of one app waiting to be logged, and whether a flush is running.</summary>
    private sealed class AppLog
    {
        public Queue<PendingChange> Pending { get; } = new();
        public bool Flushing { get; set; }
    }

    private sealed record PendingChange(CatalogChange Change, bool Refetch, LogWaiter Waiter);

    /// <summary>One caller's entries: done when all are stored, with the earliest key of the rows holding them.</summary>
    private sealed class LogWaiter(int count)
    {
        private int _remaining = count;
        private long _earliestKey = long.MaxValue;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Logged(long key)
        {
            long current;
            while (key < (current = Interlocked.Read(ref _earliestKey)) && Interlocked.CompareExchange(ref _earliestKey, key, current) != current)
            {
            }
            if (Interlocked.Decrement(ref _remaining) == 0)
                Done.TrySetResult(Interlocked.Read(ref _earliestKey));
        }
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
