using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class InMemoryMetricsStoreTests
{
    private static readonly ISegmentClassifier Segments = new TelemetryGen.TestClassifier();
    private static readonly DateTimeOffset From = TelemetryGen.Start.AddDays(-1);
    private static readonly DateTimeOffset Until = TelemetryGen.Start.AddDays(2);

    [Fact]
    public async Task Stored_metrics_equal_the_ground_truth_under_redelivery_crashes_and_shifted_batch_boundaries()
    {
        var random = new Random(21);
        var (skipped, partial) = (0, 0);
        for (var round = 0; round < 40; round++)
        {
            var partitions = Enumerable.Range(0, 3).ToDictionary(
                p => p.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => TelemetryGen.Sequenced(random, random.Next(1, 250), firstSequenceNumber: random.Next(1000)));
            var store = new InMemoryMetricsStore();

            foreach (var delivery in DeliverySimulator.Schedule(random, partitions, maxBatch: 40))
            {
                var result = await DeliverySimulator.ApplyAsync(store, Segments, delivery, random);
                skipped += result.Skipped;
                partial += result.PartiallyApplied;
            }

            var truth = MetricsFold.Fold(partitions.Values.SelectMany(events => events).Select(e => e.Event), Segments);
            var stored = TelemetryGen.SumRows(await StoredRowsAsync(store));
            TelemetryGen.AssertSameMetrics(truth, stored);
        }

        // The scenarios did exercise both redelivery paths.
        Assert.True(skipped > 0, "no row skipped a redelivered batch");
        Assert.True(partial > 0, "no row had part of a redelivered batch");
    }

    [Fact]
    public async Task Applying_the_same_batch_twice_equals_applying_it_once()
    {
        var random = new Random(22);
        for (var round = 0; round < 50; round++)
        {
            var batch = MetricsFold.FoldBatch("1", TelemetryGen.Sequenced(random, random.Next(1, 200)), Segments);
            var once = new InMemoryMetricsStore();
            var twice = new InMemoryMetricsStore();

            await once.ApplyBatchAsync(batch, CancellationToken.None);
            await twice.ApplyBatchAsync(batch, CancellationToken.None);
            var second = await twice.ApplyBatchAsync(batch, CancellationToken.None);

            Assert.Equal(0, second.Written);
            Assert.Equal(batch.Keys.Count, second.Skipped);
            TelemetryGen.AssertSameMetrics(TelemetryGen.SumRows(await StoredRowsAsync(once)), TelemetryGen.SumRows(await StoredRowsAsync(twice)));
        }
    }

    [Fact]
    public async Task An_older_batch_replayed_after_newer_ones_changes_nothing()
    {
        var random = new Random(23);
        var events = TelemetryGen.Sequenced(random, 200);
        var first = MetricsFold.FoldBatch("0", events[..100], Segments);
        var second = MetricsFold.FoldBatch("0", events[100..], Segments);
        var store = new InMemoryMetricsStore();
        await store.ApplyBatchAsync(first, CancellationToken.None);
        await store.ApplyBatchAsync(second, CancellationToken.None);
        var before = TelemetryGen.SumRows(await StoredRowsAsync(store));

        var replay = await store.ApplyBatchAsync(first, CancellationToken.None);

        Assert.Equal(0, replay.Written);
        TelemetryGen.AssertSameMetrics(before, TelemetryGen.SumRows(await StoredRowsAsync(store)));
    }

    [Fact]
    public async Task Each_row_belongs_to_one_partition_and_records_the_last_sequence_number_applied()
    {
        var random = new Random(24);
        var store = new InMemoryMetricsStore();
        var events = TelemetryGen.Sequenced(random, 50, firstSequenceNumber: 500);
        await store.ApplyBatchAsync(MetricsFold.FoldBatch("0", events, Segments), CancellationToken.None);
        await store.ApplyBatchAsync(MetricsFold.FoldBatch("1", events, Segments), CancellationToken.None);

        var rows = await StoredRowsAsync(store);

        Assert.Equal(rows.Count / 2, rows.Count(row => row.PartitionId == "0"));
        Assert.All(rows, row => Assert.Equal(events[^1].SequenceNumber, row.LastSequenceNumber));
    }

    private static async Task<IReadOnlyList<MetricsRow>> StoredRowsAsync(InMemoryMetricsStore store)
    {
        var rows = new List<MetricsRow>();
        foreach (var app in new[] { "com.example.one", "com.example.two" })
            rows.AddRange(await store.QueryAsync(app, From, Until, CancellationToken.None));
        return rows;
    }
}
