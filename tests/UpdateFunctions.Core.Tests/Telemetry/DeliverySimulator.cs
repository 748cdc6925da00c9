using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

/// <summary>
/// Replays partitions the way Event Hubs delivers them at least once: each consumer stream reads from the last
/// checkpoint in batches of random size; every batch is delivered twice; now and then an instance crashes after
/// writing only some of a batch's rows and a new stream starts again from the checkpoint (cut at new boundaries);
/// checkpoints are taken only now and then. Partitions are interleaved at random.
/// </summary>
internal static class DeliverySimulator
{
    public sealed record Delivery(string PartitionId, List<SequencedStatsEvent> Events, double? CrashAfterFraction);

    public static List<Delivery> Schedule(Random random, IReadOnlyDictionary<string, List<SequencedStatsEvent>> partitions, int maxBatch)
    {
        var perPartition = partitions.ToDictionary(p => p.Key, p => new Queue<Delivery>(PartitionSchedule(random, p.Key, p.Value, maxBatch)));
        var schedule = new List<Delivery>();
        while (perPartition.Values.Any(q => q.Count > 0))
        {
            var open = perPartition.Values.Where(q => q.Count > 0).ToList();
            schedule.Add(open[random.Next(open.Count)].Dequeue());
        }

        return schedule;
    }

    private static IEnumerable<Delivery> PartitionSchedule(Random random, string partitionId, List<SequencedStatsEvent> events, int maxBatch)
    {
        var checkpoint = 0;
        var position = 0;
        while (position < events.Count)
        {
            var size = Math.Min(1 + random.Next(maxBatch), events.Count - position);
            var batch = events.GetRange(position, size);
            if (random.Next(6) == 0)
            {
                // Crash part-way through writing this batch; restart from the checkpoint.
                yield return new Delivery(partitionId, batch, random.NextDouble());
                position = checkpoint;
                continue;
            }

            yield return new Delivery(partitionId, batch, null);
            yield return new Delivery(partitionId, batch, null); // redelivered whole
            position += size;
            if (random.Next(2) == 0)
                checkpoint = position;
        }
    }

    public static async Task<MetricsApplyResult> ApplyAsync(IMetricsStore store, ISegmentClassifier classifier, Delivery delivery, Random random)
    {
        var batch = MetricsFold.FoldBatch(delivery.PartitionId, delivery.Events, classifier);
        if (delivery.CrashAfterFraction is { } fraction)
        {
            var written = batch.Keys.OrderBy(_ => random.Next()).Take((int)(batch.Keys.Count * fraction)).ToHashSet();
            batch = batch.Subset(written.Contains);
        }

        return await store.ApplyBatchAsync(batch, CancellationToken.None);
    }
}
