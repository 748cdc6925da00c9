namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// <see cref="IMetricsStore"/> in memory, with the same per-(key, partition) rows and skip rule as the Table store:
/// for LocalHost without storage, and as the reference the Table store's contract tests compare against.
/// </summary>
public sealed class InMemoryMetricsStore : IMetricsStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(MetricKey Key, string PartitionId), MetricsRow> _rows = [];

    public Task<MetricsApplyResult> ApplyBatchAsync(MetricsBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        int written = 0, skipped = 0, partial = 0;
        lock (_gate)
        {
            foreach (var key in batch.Keys)
            {
                var id = (key, batch.PartitionId);
                var existing = _rows.GetValueOrDefault(id);
                var appliedThrough = existing?.LastSequenceNumber ?? long.MinValue;
                var pending = batch.PendingFor(key, appliedThrough);
                if (pending is null)
                {
                    skipped++;
                    continue;
                }

                if (existing is not null && appliedThrough >= batch.SequenceRange(key).First)
                    partial++;
                var counters = existing?.Counters.Clone() ?? new MetricCounters();
                counters.Merge(pending);
                _rows[id] = new MetricsRow(key, batch.PartitionId, Math.Max(appliedThrough, batch.LastSequenceNumber), counters);
                written++;
            }
        }

        return Task.FromResult(new MetricsApplyResult(written, skipped, partial, 0));
    }

    public Task<IReadOnlyList<MetricsRow>> QueryAsync(string appId, DateTimeOffset fromHour, DateTimeOffset untilHour, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<MetricsRow> result = _rows.Values
                .Where(row => row.Key.AppId == appId && row.Key.HourStart >= fromHour && row.Key.HourStart < untilHour)
                .Select(row => row with { Counters = row.Counters.Clone() })
                .ToList();
            return Task.FromResult(result);
        }
    }
}
