using System.Globalization;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Storage.Tests.Metrics;

/// <summary>
/// Seeded partitions of stats events and an at-least-once delivery schedule for them: batches of random size from
/// the last checkpoint, every batch delivered twice, crashes after writing some of a batch's rows followed by a
/// restart from the checkpoint at new boundaries, and partitions interleaved at random (out of order).
/// </summary>
internal static class MetricsScenario
{
    public const string App = "com.example.metrics";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 22, 30, 0, TimeSpan.Zero);

    private static readonly string?[] Channels = [null, "beta", "production"];
    private static readonly string[] Bundles = ["1.0.0", "1.1.0", "2.0.0-beta.1"];
    private static readonly string[] Actions =
    [
        "set", "set", "app_moved_to_foreground", "app_moved_to_foreground", "download_complete", "download_fail",
        "update_fail", "set_fail", "checksum_fail", "app_launch_start", "app_crash", "brand_new_action",
    ];

    public sealed record Delivery(string PartitionId, List<SequencedStatsEvent> Events, double? CrashAfterFraction);

    public sealed class PlatformSegments : ISegmentClassifier
    {
        public int Classify(DeviceInfo device, Span<string> segments)
        {
            segments[0] = device.Platform == Platform.Ios ? "apple" : "others";
            return 1;
        }
    }

    public static Dictionary<string, List<SequencedStatsEvent>> Partitions(Random random, int partitions, int eventsPerPartition) =>
        Enumerable.Range(0, partitions).ToDictionary(
            p => p.ToString(CultureInfo.InvariantCulture),
            _ => Sequenced(random, eventsPerPartition, random.Next(10_000)));

    public static List<SequencedStatsEvent> Sequenced(Random random, int count, long firstSequenceNumber)
    {
        var result = new List<SequencedStatsEvent>(count);
        var sequence = firstSequenceNumber;
        for (var i = 0; i < count; i++)
        {
            result.Add(new SequencedStatsEvent(sequence, Event(random)));
            sequence += 1 + random.Next(2);
        }

        return result;
    }

    public static StatsEvent Event(Random random)
    {
        var bundle = Bundles[random.Next(Bundles.Length)];
        var device = new DeviceInfo(
            App, $"device-{random.Next(80):D3}", (Platform)random.Next(3), bundle, "1.0.0",
            DefaultChannel: Channels[random.Next(Channels.Length)]);
        var received = Start.AddMinutes(random.Next(180));
        var action = Actions[random.Next(Actions.Length)];
        var versionName = action == "checksum_fail" ? bundle + ":www/main.js" : bundle;
        return new StatsEvent(device, action, versionName, null, null, null, received);
    }

    public static List<Delivery> Schedule(Random random, IReadOnlyDictionary<string, List<SequencedStatsEvent>> partitions, int maxBatch)
    {
        var queues = partitions.ToDictionary(p => p.Key, p => new Queue<Delivery>(PartitionSchedule(random, p.Key, p.Value, maxBatch)));
        var schedule = new List<Delivery>();
        while (queues.Values.Any(q => q.Count > 0))
        {
            var open = queues.Values.Where(q => q.Count > 0).ToList();
            schedule.Add(open[random.Next(open.Count)].Dequeue());
        }

        return schedule;
    }

    private static IEnumerable<Delivery> PartitionSchedule(Random random, string partitionId, List<SequencedStatsEvent> events, int maxBatch)
    {
        int checkpoint = 0, position = 0;
        while (position < events.Count)
        {
            var size = Math.Min(1 + random.Next(maxBatch), events.Count - position);
            var batch = events.GetRange(position, size);
            if (random.Next(5) == 0)
            {
                yield return new Delivery(partitionId, batch, random.NextDouble());
                position = checkpoint;
                continue;
            }

            yield return new Delivery(partitionId, batch, null);
            yield return new Delivery(partitionId, batch, null);
            position += size;
            if (random.Next(2) == 0)
                checkpoint = position;
        }
    }

    public static Task<MetricsApplyResult> ApplyAsync(IMetricsStore store, ISegmentClassifier classifier, Delivery delivery, Random random)
    {
        var batch = MetricsFold.FoldBatch(delivery.PartitionId, delivery.Events, classifier);
        if (delivery.CrashAfterFraction is { } fraction)
        {
            var written = batch.Keys.OrderBy(_ => random.Next()).Take((int)(batch.Keys.Count * fraction)).ToHashSet();
            batch = batch.Subset(written.Contains);
        }

        return store.ApplyBatchAsync(batch, CancellationToken.None);
    }

    public static Dictionary<MetricKey, MetricCounters> SumRows(IEnumerable<MetricsRow> rows)
    {
        var result = new Dictionary<MetricKey, MetricCounters>();
        foreach (var row in rows)
        {
            if (!result.TryGetValue(row.Key, out var total))
                result[row.Key] = total = new MetricCounters();
            total.Merge(row.Counters);
        }

        return result;
    }

    public static void AssertSameMetrics(IReadOnlyDictionary<MetricKey, MetricCounters> expected, IReadOnlyDictionary<MetricKey, MetricCounters> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k.ToString()), actual.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, counters) in expected)
            Assert.True(counters.Equals(actual[key]), $"{key}: expected {counters}, got {actual[key]}");
    }
}
