using System.Text.Json;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Logging.Abstractions;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Telemetry;
using UpdateFunctions.Storage.Metrics;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Functions.Tests.Telemetry;

public sealed class TelemetryAggregatorFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset From = TelemetryTestData.Received.AddDays(-1);
    private static readonly DateTimeOffset Until = TelemetryTestData.Received.AddDays(1);

    [Fact]
    public async Task The_function_folds_a_partition_batch_into_the_metrics_table()
    {
        var store = new TableMetricsStore(azurite.CreateTableServiceClient(), azurite.TablePrefix + "agg", NullLogger<TableMetricsStore>.Instance);
        var function = new TelemetryAggregatorFunction(Aggregator(store));
        var events = TelemetryTestData.EventHubBatch(
            100,
            TelemetryTestData.Event("d1", "set"),
            TelemetryTestData.Event("d2", "set"),
            TelemetryTestData.Event("d2", "app_moved_to_foreground"),
            TelemetryTestData.Event("d3", "download_zip_start"),
            TelemetryTestData.Event("d3", "download_fail"),
            TelemetryTestData.Event("d3", "checksum_fail", bundle: "1.1.0:www/app.js"));

        await function.Run(events, TelemetryTestData.ContextFor("4"), CancellationToken.None);
        await function.Run(events, TelemetryTestData.ContextFor("4"), CancellationToken.None); // redelivered

        var rows = await store.QueryAsync(TelemetryTestData.App, From, Until, CancellationToken.None);
        var row = Assert.Single(rows);
        Assert.Equal("4", row.PartitionId);
        Assert.Equal(105, row.LastSequenceNumber);
        Assert.Equal("1.1.0", row.Key.BundleVersion);
        Assert.Equal(2, row.Counters.Installs);
        Assert.Equal(1, row.Counters.Sessions);
        Assert.Equal(1, row.Counters.Failures);
        Assert.Equal(1, row.Counters[MetricCounter.ChecksumFail]);
        Assert.Equal(2, row.Counters.UniqueDevices);
    }

    [Fact]
    public async Task Undecodable_events_are_counted_and_skipped_without_failing_the_batch()
    {
        var store = new InMemoryMetricsStore();
        var aggregator = Aggregator(store);
        var good = TelemetryTestData.EventHubBatch(10, TelemetryTestData.Event("d1", "set"), TelemetryTestData.Event("d2", "set"));
        EventData[] events =
        [
            TelemetryTestData.Poison("{not json", 8),
            TelemetryTestData.Poison("""{"v":99}""", 9),
            good[0],
            good[1],
            TelemetryTestData.Poison("""{"v":1,"device":{"app_id":"a","device_id":"d","platform":"symbian"},"action":"set","version_name":"1","received_at":"2026-03-01T00:00:00Z"}""", 12),
        ];

        var result = await aggregator.AggregateAsync("0", events, CancellationToken.None);

        Assert.Equal(5, result.Events);
        Assert.Equal(3, result.Undecodable);
        Assert.Equal(1, result.Keys);
        var rows = await store.QueryAsync(TelemetryTestData.App, From, Until, CancellationToken.None);
        Assert.Equal(2, MetricsRollup.Total(rows).Installs);
    }

    [Fact]
    public async Task Aggregating_the_same_events_again_changes_nothing()
    {
        var store = new InMemoryMetricsStore();
        var aggregator = Aggregator(store);
        var events = TelemetryTestData.EventHubBatch(0, TelemetryTestData.Event("d1", "set"), TelemetryTestData.Event("d2", "update_fail"));

        var first = await aggregator.AggregateAsync("2", events, CancellationToken.None);
        var again = await aggregator.AggregateAsync("2", events, CancellationToken.None);

        Assert.Equal(1, first.Applied.Written);
        Assert.Equal(0, again.Applied.Written);
        Assert.Equal(1, again.Applied.Skipped);
    }

    [Fact]
    public void The_partition_id_is_read_from_the_partition_context_binding_data()
    {
        Assert.Equal("7", EventHubBindingData.GetPartitionId(TelemetryTestData.ContextFor("7")));
        Assert.Equal("3", EventHubBindingData.ReadPartitionId(JsonDocument.Parse("""{"partitionId":"3"}""").RootElement));
        Assert.Equal("5", EventHubBindingData.ReadPartitionId(EventHubsModelFactory.PartitionContext("ns", "hub", "group", "5")));
        Assert.Null(EventHubBindingData.ReadPartitionId("not json"));
        Assert.Null(EventHubBindingData.ReadPartitionId(42));
    }

    [Fact]
    public void Without_a_partition_context_the_function_refuses_to_guess()
    {
        var context = new TelemetryTestData.TriggerContext(new Dictionary<string, object?> { ["SequenceNumberArray"] = "[1]" });

        Assert.Throws<InvalidOperationException>(() => EventHubBindingData.GetPartitionId(context));
    }

    private static TelemetryAggregator Aggregator(IMetricsStore store) =>
        new(store, AllSegmentClassifier.Instance, NullLogger<TelemetryAggregator>.Instance);
}
