using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Storage.Tests.Metrics;

/// <summary>What every <see cref="IMetricsStore"/> must do; run against the Table store (Azurite) and the in-memory one.</summary>
public abstract class MetricsStoreContract
{
    private static readonly ISegmentClassifier Segments = new MetricsScenario.PlatformSegments();
    private static readonly DateTimeOffset From = MetricsScenario.Start.AddDays(-1);
    private static readonly DateTimeOffset Until = MetricsScenario.Start.AddDays(2);

    protected abstract IMetricsStore CreateStore();

    [Fact]
    public async Task Three_partitions_delivered_out_of_order_twice_and_with_crashes_store_exactly_the_ground_truth()
    {
        var random = new Random(41);
        var partitions = MetricsScenario.Partitions(random, partitions: 3, eventsPerPartition: 150);
        var store = CreateStore();
        var (skipped, partial) = (0, 0);

        foreach (var delivery in MetricsScenario.Schedule(random, partitions, maxBatch: 30))
        {
            var result = await MetricsScenario.ApplyAsync(store, Segments, delivery, random);
            skipped += result.Skipped;
            partial += result.PartiallyApplied;
        }

        var truth = MetricsFold.Fold(partitions.Values.SelectMany(events => events).Select(e => e.Event), Segments);
        var rows = await store.QueryAsync(MetricsScenario.App, From, Until, CancellationToken.None);
        MetricsScenario.AssertSameMetrics(truth, MetricsScenario.SumRows(rows));
        Assert.Equal(3, rows.Select(row => row.PartitionId).Distinct().Count());
        Assert.True(skipped > 0 && partial > 0, $"the schedule exercised redelivery ({skipped} skipped, {partial} partial)");
    }

    [Fact]
    public async Task Applying_the_same_batch_twice_changes_nothing_the_second_time()
    {
        var random = new Random(42);
        var batch = MetricsFold.FoldBatch("7", MetricsScenario.Sequenced(random, 120, 0), Segments);
        var store = CreateStore();

        var first = await store.ApplyBatchAsync(batch, CancellationToken.None);
        var afterFirst = MetricsScenario.SumRows(await store.QueryAsync(MetricsScenario.App, From, Until, CancellationToken.None));
        var second = await store.ApplyBatchAsync(batch, CancellationToken.None);
        var afterSecond = MetricsScenario.SumRows(await store.QueryAsync(MetricsScenario.App, From, Until, CancellationToken.None));

        Assert.Equal(batch.Keys.Count, first.Written);
        Assert.Equal(new MetricsApplyResult(0, batch.Keys.Count, 0, 0), second);
        MetricsScenario.AssertSameMetrics(afterFirst, afterSecond);
    }

    [Fact]
    public async Task A_query_returns_the_apps_rows_whose_hour_starts_in_the_range()
    {
        var random = new Random(43);
        var events = MetricsScenario.Sequenced(random, 200, 0);
        var store = CreateStore();
        await store.ApplyBatchAsync(MetricsFold.FoldBatch("0", events, Segments), CancellationToken.None);
        var hour = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // the second of the scenario's hours

        var rows = await store.QueryAsync(MetricsScenario.App, hour, hour.AddHours(1), CancellationToken.None);
        var none = await store.QueryAsync("com.example.other", From, Until, CancellationToken.None);

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(hour, row.Key.HourStart));
        var expected = events.Count(e => e.Event.ReceivedAt >= hour && e.Event.ReceivedAt < hour.AddHours(1));
        Assert.Equal(expected, MetricsRollup.Total(rows).Events);
        Assert.Empty(none);
    }
}

public sealed class InMemoryMetricsStoreContractTests : MetricsStoreContract
{
    protected override IMetricsStore CreateStore() => new InMemoryMetricsStore();
}
