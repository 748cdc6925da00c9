using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class MetricsQueryServiceTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static StatsEvent Event(string device, string action, string bundle, string channel, DateTimeOffset at, Platform platform = Platform.Android) =>
        new(new DeviceInfo("com.demo.app", device, platform, bundle, "1.0.0"), action, bundle, null, null, null, at, channel);

    private static async Task<InMemoryMetricsStore> StoreWith(params StatsEvent[] events)
    {
        var store = new InMemoryMetricsStore();
        var sequenced = events.Select((e, i) => new SequencedStatsEvent(i, e)).ToList();
        await store.ApplyBatchAsync(MetricsFold.FoldBatch("0", sequenced, AllSegmentClassifier.Instance), CancellationToken.None);
        return store;
    }

    private static MetricsQuery Query(MetricsDimensions groupBy, MetricsInterval interval) =>
        new("com.demo.app", Noon.AddHours(-3), Noon.AddHours(3), groupBy, interval);

    [Fact]
    public async Task Totals_sum_every_hour_and_give_the_success_rate()
    {
        var store = await StoreWith(
            Event("d1", "set", "1.1.0", "production", Noon),
            Event("d2", "set", "1.1.0", "production", Noon.AddHours(1)),
            Event("d3", "download_zip_start", "1.1.0", "production", Noon.AddHours(1)),
            Event("d3", "download_fail", "1.1.0", "production", Noon.AddHours(1)),
            Event("d5", "download_fail", "1.1.0", "production", Noon.AddHours(1)),
            Event("d4", "set", "1.1.0", "production", Noon.AddHours(2)));

        var report = await new MetricsQueryService(store).QueryAsync(Query(MetricsDimensions.None, MetricsInterval.Total), CancellationToken.None);

        var series = Assert.Single(report.Series);
        Assert.Equal(3, series.Total.Installs);
        Assert.Equal(1, series.Total.Failures);
        Assert.Equal(1, series.Total.CheckFailures);
        Assert.Equal(0.75, series.Total.SuccessRate!.Value, 3);
    }

    [Fact]
    public async Task Hourly_buckets_split_by_hour()
    {
        var store = await StoreWith(
            Event("d1", "set", "1.1.0", "production", Noon),
            Event("d2", "set", "1.1.0", "production", Noon.AddHours(1)),
            Event("d3", "set", "1.1.0", "production", Noon.AddHours(1).AddMinutes(30)));

        var report = await new MetricsQueryService(store).QueryAsync(Query(MetricsDimensions.None, MetricsInterval.Hour), CancellationToken.None);

        var points = Assert.Single(report.Series).Points;
        Assert.Equal([1L, 2L], points.Select(p => p.Installs));
        Assert.Equal([Noon, Noon.AddHours(1)], points.Select(p => p.Bucket!.Value));
    }

    [Fact]
    public async Task Grouping_by_bundle_gives_adoption_among_the_active_devices()
    {
        var store = await StoreWith(
            Event("d1", "app_moved_to_foreground", "1.1.0", "production", Noon),
            Event("d2", "app_moved_to_foreground", "1.1.0", "production", Noon),
            Event("d3", "app_moved_to_foreground", "1.1.0", "production", Noon),
            Event("d4", "app_moved_to_foreground", "1.0.0", "production", Noon));

        var report = await new MetricsQueryService(store).QueryAsync(Query(MetricsDimensions.Bundle, MetricsInterval.Total), CancellationToken.None);

        var newer = report.Series.Single(s => s.Bundle == "1.1.0");
        var older = report.Series.Single(s => s.Bundle == "1.0.0");
        Assert.Equal(0.75, newer.Total.Adoption!.Value, 2);
        Assert.Equal(0.25, older.Total.Adoption!.Value, 2);
    }

    [Fact]
    public async Task Grouping_by_channel_and_platform_keeps_them_apart()
    {
        var store = await StoreWith(
            Event("d1", "set", "1.1.0", "production", Noon),
            Event("d2", "set", "1.1.0", "beta", Noon),
            Event("d3", "set", "1.1.0", "beta", Noon, Platform.Ios));

        var report = await new MetricsQueryService(store).QueryAsync(Query(MetricsDimensions.Channel | MetricsDimensions.Platform, MetricsInterval.Total), CancellationToken.None);

        Assert.Equal(["beta/android", "beta/ios", "production/android"], report.Series.Select(s => $"{s.Channel}/{s.Platform}"));
        Assert.Equal(["channel", "platform"], report.GroupBy);
    }

    [Theory]
    [InlineData("interval", "minute")]
    [InlineData("groupBy", "channel,country")]
    [InlineData("from", "yesterday")]
    public void Query_parsing_refuses_bad_parameters(string name, string value)
    {
        var ok = MetricsQuery.TryParse("com.demo.app", new Dictionary<string, string?> { [name] = value }, Noon, out _, out var error);

        Assert.False(ok);
        Assert.Equal("invalid_query", error.Code);
    }

    [Fact]
    public void Query_parsing_refuses_hourly_buckets_over_long_ranges()
    {
        var query = new Dictionary<string, string?> { ["from"] = "2026-10-01", ["to"] = "2026-11-20", ["interval"] = "hour" };

        Assert.False(MetricsQuery.TryParse("com.demo.app", query, Noon, out _, out var error));
        Assert.Contains("interval=day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_parsing_defaults_to_the_last_day_by_hour()
    {
        Assert.True(MetricsQuery.TryParse("com.demo.app", new Dictionary<string, string?>(), Noon, out var query, out _));

        Assert.Equal(Noon.AddDays(-1), query.From);
        Assert.Equal(Noon, query.To);
        Assert.Equal(MetricsInterval.Hour, query.Interval);
        Assert.Equal(MetricKey.AllSegment, query.Segment);
    }

    [Fact]
    public async Task Rollout_health_reads_one_channel_bundle_and_segment_since_a_time()
    {
        var store = await StoreWith(
            Event("d1", "set", "1.1.0", "production", Noon),
            Event("d2", "download_zip_start", "1.1.0", "production", Noon),
            Event("d2", "download_fail", "1.1.0", "production", Noon),
            Event("d6", "download_fail", "1.1.0", "production", Noon),
            Event("d3", "set", "1.1.0", "beta", Noon),
            Event("d4", "set", "1.0.0", "production", Noon),
            Event("d5", "set_fail", "1.1.0", "production", Noon.AddHours(-5)));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Noon.AddMinutes(30));

        var health = await new MetricsRolloutHealthSource(store, clock).GetHealthAsync("com.demo.app", "production", "1.1.0", MetricKey.AllSegment, Noon.AddMinutes(10), CancellationToken.None);

        Assert.Equal(2, health.Attempts);
        Assert.Equal(1, health.Failures);
        Assert.Equal(1, health.CheckFailures);
        Assert.Equal(0.5, health.FailureRate);
    }
}
