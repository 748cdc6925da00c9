namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// One Event Hubs batch of one partition, folded per <see cref="MetricKey"/> (<see cref="MetricsFold.FoldBatch"/>).
/// </summary>
/// <remarks>
/// Exactness under at-least-once delivery: a metrics row belongs to one (key, partition) and records the last sequence
/// number it has applied, L. Its invariant is "the row holds exactly the key's events of that partition with sequence
/// number ≤ L". Events of a partition arrive in order from the last checkpoint, and a checkpoint is only taken after
/// every row of a batch is written, so what a row must add from a batch is exactly the key's events with sequence
/// number &gt; L (<see cref="PendingFor"/>), after which L becomes the batch's last sequence number. That holds when a
/// batch is redelivered whole, when it is redelivered cut at different boundaries, when a crash wrote only some of
/// its rows, and when two instances briefly process the same partition (ETags serialise their writes).
/// </remarks>
public sealed class MetricsBatch
{
    private readonly IReadOnlyList<SequencedStatsEvent> _events;
    private readonly ISegmentClassifier _classifier;
    private readonly Dictionary<MetricKey, MetricsFold.KeyFold> _keys;

    internal MetricsBatch(
        string partitionId,
        IReadOnlyList<SequencedStatsEvent> events,
        ISegmentClassifier classifier,
        Dictionary<MetricKey, MetricsFold.KeyFold> keys)
    {
        PartitionId = partitionId;
        _events = events;
        _classifier = classifier;
        _keys = keys;
        FirstSequenceNumber = events.Count > 0 ? events[0].SequenceNumber : long.MinValue;
        LastSequenceNumber = events.Count > 0 ? events[^1].SequenceNumber : long.MinValue;
    }

    public string PartitionId { get; }

    /// <summary>Sequence number of the batch's first event (<see cref="long.MinValue"/> when empty).</summary>
    public long FirstSequenceNumber { get; }

    /// <summary>Sequence number of the batch's last event: what a row records as applied after this batch.</summary>
    public long LastSequenceNumber { get; }

    public int EventCount => _events.Count;

    /// <summary>The keys this batch touches: one write each.</summary>
    public IReadOnlyCollection<MetricKey> Keys => _keys.Keys;

    /// <summary>All of the batch's counters for <paramref name="key"/>.</summary>
    public MetricCounters this[MetricKey key] => _keys[key].Counters;

    /// <summary>Sequence numbers of the first and last event of the batch that count in <paramref name="key"/>.</summary>
    public (long First, long Last) SequenceRange(MetricKey key)
    {
        var fold = _keys[key];
        return (fold.First, fold.Last);
    }

    /// <summary>
    /// What a row of <paramref name="key"/> that has applied this partition's events up to
    /// <paramref name="appliedThrough"/> still has to add from this batch, or null when nothing
    /// (<see cref="long.MinValue"/> for a row that does not exist yet).
    /// </summary>
    public MetricCounters? PendingFor(MetricKey key, long appliedThrough)
    {
        if (!_keys.TryGetValue(key, out var fold) || appliedThrough >= fold.Last)
            return null;
        if (appliedThrough < fold.First)
            return fold.Counters;
        // Redelivered with different boundaries: part of this batch is already in the row. Refold the rest.
        return MetricsFold.FoldKeyAfter(_events, _classifier, key, appliedThrough);
    }

    /// <summary>The same batch restricted to some keys (e.g. to write them in shards).</summary>
    public MetricsBatch Subset(Func<MetricKey, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var subset = _keys.Where(pair => predicate(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value);
        return new MetricsBatch(PartitionId, _events, _classifier, subset);
    }
}
