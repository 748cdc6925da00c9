using System.Runtime.InteropServices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>A stats event with its Event Hubs sequence number (increasing within a partition).</summary>
public readonly record struct SequencedStatsEvent(long SequenceNumber, StatsEvent Event);

/// <summary>
/// The pure aggregation: folds stats events into counters per <see cref="MetricKey"/>.
/// </summary>
/// <remarks>
/// Cardinality bound: each event counts in the <see cref="MetricKey.AllSegment"/> row and in at most
/// <see cref="MaxSegmentsPerEvent"/> further segment rows (the classifier gets a buffer of that size; duplicates and
/// empty names are dropped). So one event touches at most 1 + 8 = 9 keys, and a batch writes at most
/// 9 × (distinct app, hour, channel, platform, bundle) rows, whatever the segment rules say.
/// </remarks>
public static class MetricsFold
{
    /// <summary>Most segments (besides <see cref="MetricKey.AllSegment"/>) one event counts in.</summary>
    public const int MaxSegmentsPerEvent = 8;

    /// <summary>Folds events into counters per key (no sequence numbers: an in-memory sum).</summary>
    public static IReadOnlyDictionary<MetricKey, MetricCounters> Fold(IEnumerable<StatsEvent> batch, ISegmentClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(classifier);
        var result = new Dictionary<MetricKey, MetricCounters>();
        var segments = new string[MaxSegmentsPerEvent];
        foreach (var statsEvent in batch)
        {
            var count = Describe(statsEvent, classifier, segments, out var key, out var counter, out var deviceHash);
            for (var s = -1; s < count; s++)
            {
                var segmentKey = s < 0 ? key : key with { Segment = segments[s] };
                ref var counters = ref CollectionsMarshal.GetValueRefOrAddDefault(result, segmentKey, out _);
                counters ??= new MetricCounters();
                counters.Add(counter, deviceHash);
            }
        }

        return result;
    }

    /// <summary>
    /// Folds one Event Hubs batch of one partition, remembering for each key the sequence numbers of its first and
    /// last event so a store can tell what a row has already applied (<see cref="MetricsBatch.PendingFor"/>).
    /// </summary>
    /// <param name="events">The batch's decodable events in partition order (strictly increasing sequence numbers).</param>
    public static MetricsBatch FoldBatch(string partitionId, IReadOnlyList<SequencedStatsEvent> events, ISegmentClassifier classifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(classifier);
        var keys = new Dictionary<MetricKey, KeyFold>();
        var segments = new string[MaxSegmentsPerEvent];
        var previous = long.MinValue;
        for (var i = 0; i < events.Count; i++)
        {
            var (sequenceNumber, statsEvent) = events[i];
            if (i > 0 && sequenceNumber <= previous)
                throw new ArgumentException($"Sequence numbers must increase within a partition batch: {sequenceNumber} follows {previous}.", nameof(events));
            previous = sequenceNumber;
            var count = Describe(statsEvent, classifier, segments, out var key, out var counter, out var deviceHash);
            for (var s = -1; s < count; s++)
            {
                var segmentKey = s < 0 ? key : key with { Segment = segments[s] };
                ref var fold = ref CollectionsMarshal.GetValueRefOrAddDefault(keys, segmentKey, out _);
                fold ??= new KeyFold(sequenceNumber);
                fold.Counters.Add(counter, deviceHash);
                fold.Last = sequenceNumber;
            }
        }

        return new MetricsBatch(partitionId, events, classifier, keys);
    }

    /// <summary>Counters of <paramref name="key"/> from the events after <paramref name="afterSequenceNumber"/> only.</summary>
    internal static MetricCounters FoldKeyAfter(
        IReadOnlyList<SequencedStatsEvent> events, ISegmentClassifier classifier, MetricKey key, long afterSequenceNumber)
    {
        var counters = new MetricCounters();
        var segments = new string[MaxSegmentsPerEvent];
        foreach (var (sequenceNumber, statsEvent) in events)
        {
            if (sequenceNumber <= afterSequenceNumber)
                continue;
            var count = Describe(statsEvent, classifier, segments, out var baseKey, out var counter, out var deviceHash);
            for (var s = -1; s < count; s++)
            {
                var segmentKey = s < 0 ? baseKey : baseKey with { Segment = segments[s] };
                if (segmentKey == key)
                    counters.Add(counter, deviceHash);
            }
        }

        return counters;
    }

    /// <summary>
    /// The event's <see cref="MetricKey.AllSegment"/> key, counter and device hash; its further (distinct, non-empty,
    /// bounded) segment names are left in <paramref name="segments"/>, and their number returned.
    /// </summary>
    private static int Describe(
        StatsEvent statsEvent, ISegmentClassifier classifier, string[] segments,
        out MetricKey key, out MetricCounter counter, out ulong deviceHash)
    {
        var device = statsEvent.Device;
        var utc = statsEvent.ReceivedAt.UtcDateTime;
        key = new MetricKey(
            device.AppId,
            DateOnly.FromDateTime(utc),
            utc.Hour,
            (statsEvent.Channel ?? device.DefaultChannel) is { Length: > 0 } channel ? MetricKey.Bounded(channel) : MetricKey.UnspecifiedChannel,
            device.Platform,
            MetricKey.BundleOf(statsEvent.VersionName),
            MetricKey.AllSegment);
        counter = StatsActions.Classify(statsEvent.Action);
        deviceHash = HyperLogLog.Hash(device.DeviceId);

        // Segments stamped at the edge win: they were decided once, with the rules of that moment.
        var written = statsEvent.Segments is { } stamped
            ? CopyStamped(stamped, segments)
            : Math.Clamp(classifier.Classify(device, segments), 0, segments.Length);
        var kept = 0;
        for (var i = 0; i < written; i++)
        {
            var name = segments[i];
            if (string.IsNullOrEmpty(name) || name == MetricKey.AllSegment)
                continue;
            name = MetricKey.Bounded(name);
            if (segments.AsSpan(0, kept).Contains(name))
                continue;
            segments[kept++] = name;
        }

        return kept;
    }

    private static int CopyStamped(IReadOnlyList<string> stamped, string[] segments)
    {
        var count = Math.Min(stamped.Count, segments.Length);
        for (var i = 0; i < count; i++)
            segments[i] = stamped[i];
        return count;
    }

    internal sealed class KeyFold(long first)
    {
        public MetricCounters Counters { get; } = new();

        public long First { get; } = first;

        public long Last { get; set; } = first;
    }
}
