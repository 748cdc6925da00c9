using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class MetricsRollupTests
{
    private static readonly DateTimeOffset Hour0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rows_of_every_partition_and_hour_sum_to_the_fold_of_all_events()
    {
        var random = new Random(31);
        var classifier = new TelemetryGen.TestClassifier();
        var store = new InMemoryMetricsStore();
        var all = new List<StatsEvent>();
        for (var partition = 0; partition < 4; partition++)
        {
            var events = TelemetryGen.Sequenced(random, 300);
            all.AddRange(events.Select(e => e.Event));
            await store.ApplyBatchAsync(MetricsFold.FoldBatch(partition.ToString(System.Globalization.CultureInfo.InvariantCulture), events, classifier), CancellationToken.None);
        }

        var rows = await store.QueryAsync("com.example.one", TelemetryGen.Start.AddDays(-1), TelemetryGen.Start.AddDays(2), CancellationToken.None);
        var expected = MetricCounters.Sum(MetricsFold.Fold(all.Where(e => e.Device.AppId == "com.example.one"), classifier)
            .Where(pair => pair.Key.Segment == MetricKey.AllSegment).Select(pair => pair.Value));

        Assert.Equal(expected, MetricsRollup.Total(rows));
        var byBundle = MetricsRollup.Rollup(rows, MetricsDimensions.Bundle, MetricsInterval.Total);
        Assert.Equal(expected.Events, byBundle.Values.Sum(c => c.Events));
        Assert.All(byBundle.Keys, group => Assert.Null(group.Bucket));
        var byHour = MetricsRollup.Rollup(rows, MetricsDimensions.None, MetricsInterval.Hour);
        Assert.Equal(4, byHour.Count);
        Assert.Equal(expected.Events, byHour.Values.Sum(c => c.Events));
        var bySegment = MetricsRollup.Rollup(rows, MetricsDimensions.Segment, MetricsInterval.Day);
        Assert.Contains(bySegment.Keys, group => group.Segment == "vip");
        Assert.Equal(expected, MetricCounters.Sum(bySegment.Where(p => p.Key.Segment == MetricKey.AllSegment).Select(p => p.Value)));
    }

    [Fact]
    public void Adoption_is_devices_running_the_bundle_over_devices_running_any_bundle()
    {
        var rows = new List<MetricsRow>
        {
            Row("2.0.0", "0", Devices(0, 300)),
            Row("2.0.0", "1", Devices(200, 400)),      // overlaps partition 0: a device counts once
            Row("1.0.0", "0", Devices(300, 1000)),
            Row("1.0.0", "1", Devices(0, 100)),        // devices that moved to 2.0.0 within the window
            Row("2.0.0", "0", Devices(5000, 6000), segment: "vip"), // another segment is not mixed in
        };

        var adoption = MetricsRollup.Adoption(rows, "2.0.0");

        Assert.NotNull(adoption);
        Assert.Equal(400.0 / 1000, adoption.Value, 0.03);
        Assert.Equal(1.0, MetricsRollup.Adoption(rows, "2.0.0", "vip")!.Value, 0.001);
        Assert.Null(MetricsRollup.Adoption([], "2.0.0"));
    }

    private static MetricsRow Row(string bundle, string partition, MetricCounters counters, string segment = MetricKey.AllSegment) =>
        new(new MetricKey("app", DateOnly.FromDateTime(Hour0.UtcDateTime), Hour0.Hour, "", Platform.Ios, bundle, segment), partition, 0, counters);

    private static MetricCounters Devices(int from, int to)
    {
        var counters = new MetricCounters();
        for (var i = from; i < to; i++)
        {
            var device = new DeviceInfo("app", $"device-{i}", Platform.Ios, "1.0.0", "1.0.0");
            counters.Add(new StatsEvent(device, "app_moved_to_foreground", "x", null, null, null, Hour0));
        }

        return counters;
    }
}
