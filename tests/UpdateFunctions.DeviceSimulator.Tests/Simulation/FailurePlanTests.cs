using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

public sealed class FailurePlanTests
{
    private static readonly DeviceProfile Ios = new(1, "0c0ffee0-0000-4000-8000-000000000001", "ios", "1.1.0", "10100", "18.5", "", "ent-1", null);
    private static readonly DeviceProfile Android = Ios with { DeviceId = "0c0ffee0-0000-4000-8000-000000000002", Platform = "android", CustomId = null, Channel = "beta" };

    [Fact]
    public void No_plan_never_fails_and_a_rate_of_one_always_fails()
    {
        var always = new FailurePlan(1, FailureMode.Update, [], [], false);

        Assert.False(FailurePlan.None.ShouldFail(1, Ios, "1.2.0", 1));
        Assert.True(always.ShouldFail(1, Ios, "1.2.0", 1));
        Assert.True(always.ShouldFail(1, Android, "builtin", 7));
    }

    [Fact]
    public void Only_the_listed_bundles_fail()
    {
        var plan = new FailurePlan(1, FailureMode.Update, ["1.2.0"], [], false);

        Assert.True(plan.ShouldFail(1, Ios, "1.2.0", 1));
        Assert.False(plan.ShouldFail(1, Ios, "1.0.1", 1));
    }

    [Fact]
    public void Only_devices_matching_every_filter_fail()
    {
        var plan = new FailurePlan(1, FailureMode.Update, [], [new(DeviceField.Platform, ["ios"]), new(DeviceField.CustomIdPrefix, ["ent-"])], false);
        var byChannel = new FailurePlan(1, FailureMode.Update, [], [new(DeviceField.Channel, ["none"])], false);

        Assert.True(plan.ShouldFail(1, Ios, "1.2.0", 1));
        Assert.False(plan.ShouldFail(1, Ios with { CustomId = "acme" }, "1.2.0", 1));
        Assert.False(plan.ShouldFail(1, Android, "1.2.0", 1));
        Assert.True(byChannel.ShouldFail(1, Ios, "1.2.0", 1));
        Assert.False(byChannel.ShouldFail(1, Android, "1.2.0", 1));
    }

    [Fact]
    public void Attempts_fail_at_about_the_rate_each_drawn_anew_unless_sticky()
    {
        var plan = new FailurePlan(0.2, FailureMode.Update, [], [], Sticky: false);
        var devices = DevicePopulation.Create(new SimulationOptions { ServerUrl = new("http://x.test"), Devices = 2000, Seed = 5 });

        var firstAttempts = devices.Count(d => plan.ShouldFail(5, d.Profile, "1.2.0", 1));
        var changedOnRetry = devices.Count(d => plan.ShouldFail(5, d.Profile, "1.2.0", 1) != plan.ShouldFail(5, d.Profile, "1.2.0", 2));
        var sticky = plan with { Sticky = true };
        var stickyChanged = devices.Count(d => sticky.ShouldFail(5, d.Profile, "1.2.0", 1) != sticky.ShouldFail(5, d.Profile, "1.2.0", 2));

        Assert.InRange(firstAttempts, 340, 460);
        Assert.InRange(changedOnRetry, 500, 780); // 2 × 0.2 × 0.8 × 2000 = 640
        Assert.Equal(0, stickyChanged);
    }

    [Fact]
    public void Describes_itself_for_the_start_line()
    {
        var plan = new FailurePlan(0.2, FailureMode.Update, ["1.2.0"], [new(DeviceField.Platform, ["ios"])], Sticky: true);

        Assert.Equal("20 % of installs of 1.2.0 on devices with platform=ios fail (update_fail, sticky)", plan.ToString());
        Assert.Equal("none", FailurePlan.None.ToString());
    }
}
