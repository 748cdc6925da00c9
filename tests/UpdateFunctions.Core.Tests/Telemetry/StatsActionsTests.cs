using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class StatsActionsTests
{
    public static TheoryData<string> ProtocolActions() => new(TelemetryGen.ProtocolActions);

    [Theory]
    [MemberData(nameof(ProtocolActions))]
    public void Every_action_the_protocol_lists_has_its_own_counter(string action)
    {
        Assert.NotEqual(MetricCounter.Other, StatsActions.Classify(action));
    }

    [Fact]
    public void Each_named_action_maps_to_a_distinct_counter_and_download_steps_share_one()
    {
        var counters = TelemetryGen.ProtocolActions
            .Where(action => !action.StartsWith("download_", StringComparison.Ordinal) || !char.IsDigit(action[^1]))
            .Select(StatsActions.Classify)
            .ToList();

        Assert.Equal(counters.Count, counters.Distinct().Count());
        Assert.Equal(MetricCounter.DownloadProgress, StatsActions.Classify("download_0"));
        Assert.Equal(MetricCounter.DownloadProgress, StatsActions.Classify("download_90"));
        Assert.Equal(StatsActions.CounterCount - 2, counters.Count); // all but DownloadProgress and Other
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("SET")]
    [InlineData("download_")]
    [InlineData("download_x1")]
    [InlineData("app_exploded")]
    public void Unknown_actions_count_as_other(string? action)
    {
        Assert.Equal(MetricCounter.Other, StatsActions.Classify(action));
    }

    [Theory]
    [InlineData("set", true)]
    [InlineData("app_moved_to_foreground", true)]
    [InlineData("app_crash", true)]
    [InlineData("download_complete", false)]
    [InlineData("download_fail", false)]
    [InlineData("update_fail", false)]
    [InlineData("set_next", false)]
    [InlineData("unheard_of", false)]
    public void Only_actions_that_show_the_device_running_the_bundle_count_it_as_active(string action, bool active)
    {
        Assert.Equal(active, StatsActions.MarksActiveDevice(StatsActions.Classify(action)));
    }

    [Fact]
    public void Counter_storage_names_are_the_enum_member_names()
    {
        Assert.Equal("Set", StatsActions.StorageName(MetricCounter.Set));
        Assert.Equal("Other", StatsActions.StorageName(MetricCounter.Other));
        Assert.Equal(StatsActions.CounterCount, Enum.GetValues<MetricCounter>().Length);
    }
}
