namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// One stored metrics row: a key's counters as written by one Event Hubs partition in one hour, or, once the hour is
/// past the hourly retention, a whole day's counters of the key (<see cref="DailyPartitionId"/>, hour 0).
/// </summary>
/// <param name="LastSequenceNumber">The partition's last sequence number this row has applied.</param>
public sealed record MetricsRow(MetricKey Key, string PartitionId, long LastSequenceNumber, MetricCounters Counters)
{
    /// <summary>The partition id of a daily row: every partition and hour of a day summed (<see cref="MetricsRollup.Daily"/>).</summary>
    public const string DailyPartitionId = "daily";

    public bool IsDaily => PartitionId == DailyPartitionId;
}

/// <summary>What applying a batch did: rows written, rows skipped as already applied, rows that had part of it.</summary>
/// <param name="Written">Rows created or updated.</param>
/// <param name="Skipped">Rows that already held all of the batch's events for their key (a redelivery).</param>
/// <param name="PartiallyApplied">Rows that held some of them (a redelivery cut at other boundaries); included in <paramref name="Written"/>.</param>
/// <param name="Conflicts">ETag conflicts retried.</param>
public sealed record MetricsApplyResult(int Written, int Skipped, int PartiallyApplied, int Conflicts);

/// <summary>
/// Durable per-partition metrics rows (Table Storage <c>metrics</c> in production). Applying a batch is idempotent:
/// each row carries the last sequence number it applied, so a redelivered batch changes nothing
/// (<see cref="MetricsBatch"/> explains why this is exact).
/// </summary>
public interface IMetricsStore
{
    /// <summary>Merges the batch into its rows, one read-merge-write per key with optimistic concurrency.</summary>
    Task<MetricsApplyResult> ApplyBatchAsync(MetricsBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// The app's rows whose hour starts in [<paramref name="fromHour"/>, <paramref name="untilHour"/>), every partition;
    /// for days rolled up, the daily rows of the days that overlap the range instead.
    /// </summary>
    Task<IReadOnlyList<MetricsRow>> QueryAsync(string appId, DateTimeOffset fromHour, DateTimeOffset untilHour, CancellationToken cancellationToken);
}
