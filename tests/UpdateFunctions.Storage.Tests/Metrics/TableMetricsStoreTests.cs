using Microsoft.Extensions.Logging.Abstractions;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Storage.Metrics;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Metrics;

public sealed class TableMetricsStoreTests(AzuriteFixture azurite) : MetricsStoreContract, IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset From = MetricsScenario.Start.AddDays(-1);
    private static readonly DateTimeOffset Until = MetricsScenario.Start.AddDays(2);
    private static int _stores;

    protected override IMetricsStore CreateStore() => NewStore();

    [Fact]
    public async Task Rows_live_in_the_prefixed_metrics_table_keyed_by_app_and_day_then_segment_bundle_hour_and_partition()
    {
        var store = NewStore();
        var device = new DeviceInfo(MetricsScenario.App, "d1", Platform.Android, "1.0.0", "1.0.0", DefaultChannel: "beta");
        var received = new DateTimeOffset(2026, 3, 2, 7, 15, 0, TimeSpan.Zero);
        var events = new List<SequencedStatsEvent> { new(42, new StatsEvent(device, "set", "3.0.0", null, null, null, received)) };

        await store.ApplyBatchAsync(MetricsFold.FoldBatch("2", events, AllSegmentClassifier.Instance), CancellationToken.None);

        var table = azurite.CreateTableServiceClient().GetTableClient(store.TableFullName);
        var entity = Assert.Single(await table.QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync());
        Assert.StartsWith(azurite.TablePrefix, store.TableFullName, StringComparison.Ordinal);
        Assert.Equal("com.example.metrics|20260302", entity.PartitionKey);
        Assert.Equal("all|beta|android|3.0.0|07|2", entity.RowKey);
        Assert.Equal(42, entity.GetInt64("LastSequenceNumber"));
        Assert.Equal(1, entity.GetInt64("Set"));
        Assert.Null(entity.GetInt64("SetFail")); // zero counters are not stored
        Assert.Equal(1, HyperLogLog.FromBytes(entity.GetBinary("Devices")).Count());
    }

    [Theory]
    [InlineData("seg/with#odd?chars\\", "chan|nel%", "1.0.0+build/7")]
    [InlineData("tab\tand\u0085control", "", "x")]
    public async Task Dimension_values_with_characters_keys_forbid_are_encoded_and_read_back_unchanged(string segment, string channel, string bundle)
    {
        var store = NewStore();
        var device = new DeviceInfo(MetricsScenario.App, "d1", Platform.Ios, "1.0.0", "1.0.0", DefaultChannel: channel);
        var events = new List<SequencedStatsEvent>
        {
            new(1, new StatsEvent(device, "app_moved_to_foreground", bundle, null, null, null, MetricsScenario.Start)),
        };

        await store.ApplyBatchAsync(MetricsFold.FoldBatch("0", events, new FixedSegment(segment)), CancellationToken.None);
        var rows = await store.QueryAsync(MetricsScenario.App, From, Until, CancellationToken.None);

        var row = Assert.Single(rows, r => r.Key.Segment == segment);
        Assert.Equal(channel, row.Key.Channel);
        Assert.Equal(bundle, row.Key.BundleVersion);
        Assert.Equal(1, row.Counters.Sessions);
    }

    [Fact]
    public async Task Two_instances_racing_on_the_same_partition_still_store_each_event_once()
    {
        // During a partition hand-over two instances can read the same events from the same checkpoint, cut into
        // different batches; they write the same rows concurrently and ETags make them take turns.
        var random = new Random(44);
        var segments = new MetricsScenario.PlatformSegments();
        var events = MetricsScenario.Sequenced(random, 300, 0);
        var store = NewStore();

        async Task RunInstance(int seed)
        {
            var instanceRandom = new Random(seed);
            for (var position = 0; position < events.Count;)
            {
                var size = Math.Min(1 + instanceRandom.Next(60), events.Count - position);
                await store.ApplyBatchAsync(MetricsFold.FoldBatch("5", events.GetRange(position, size), segments), CancellationToken.None);
                position += size;
            }
        }

        await Task.WhenAll(Task.Run(() => RunInstance(1)), Task.Run(() => RunInstance(2)));

        var truth = MetricsFold.Fold(events.Select(e => e.Event), segments);
        var rows = await store.QueryAsync(MetricsScenario.App, From, Until, CancellationToken.None);
        MetricsScenario.AssertSameMetrics(truth, MetricsScenario.SumRows(rows));
    }

    private TableMetricsStore NewStore()
    {
        // A table per store: each test starts empty. Table names take letters and digits only.
        var prefix = azurite.TablePrefix + "m" + Interlocked.Increment(ref _stores);
        return new TableMetricsStore(azurite.CreateTableServiceClient(), prefix, NullLogger<TableMetricsStore>.Instance);
    }

    private sealed class FixedSegment(string name) : ISegmentClassifier
    {
        public int Classify(DeviceInfo device, Span<string> segments)
        {
            segments[0] = name;
            return 1;
        }
    }
}
