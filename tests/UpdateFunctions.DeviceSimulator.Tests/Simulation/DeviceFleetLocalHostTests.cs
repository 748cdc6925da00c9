using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

/// <summary>
/// The simulator against LocalHost in process with the demo app (production → 1.0.1, beta → 1.1.0, segments
/// enterprise / beta-testers / ios-modern), its stats going through the in-process Event Hub into the metrics the
/// rollout gates read.
/// </summary>
[Collection(LocalHostGroup.Name)]
public sealed class DeviceFleetLocalHostTests(LocalHostFixture host)
{
    [Fact]
    public async Task Devices_converge_on_their_channel_bundle_and_then_stay_up_to_date()
    {
        var before = (Production: await host.CountersAsync("1.0.1", channel: "production"), Beta: await host.CountersAsync("1.1.0", channel: "beta"));
        var rounds = new List<RoundSummary>();
        var fleet = host.Fleet(host.Options(devices: 40, seed: 101) with { Channels = [new("beta", 0.25)] });

        var summary = await fleet.RunAsync((round, _) => { rounds.Add(round); return Task.CompletedTask; }, CancellationToken.None);

        Assert.True(summary.Completed);
        Assert.Equal(0, summary.Errors);
        Assert.All(fleet.Devices, d => Assert.Equal(d.Profile.Channel == "beta" ? "1.1.0" : "1.0.1", d.VersionName));
        Assert.Equal(new Dictionary<string, int> { ["1.0.1"] = 30, ["1.1.0"] = 10 }, summary.Versions);
        Assert.Equal((40, 40, 0), (rounds[0].Offered, rounds[0].Installed, rounds[0].UpToDate));
        Assert.All(rounds.Skip(1), r => Assert.Equal((0, 40), (r.Offered, r.UpToDate)));
        Assert.Equal(new StatsTally(Accepted: 120, Rejected: 0, Dropped: 0), summary.Stats);

        var after = (Production: await host.CountersAsync("1.0.1", channel: "production"), Beta: await host.CountersAsync("1.1.0", channel: "beta"));
        Assert.Equal(30, after.Production.Installs - before.Production.Installs);
        Assert.Equal(30, after.Production.DownloadsCompleted - before.Production.DownloadsCompleted);
        Assert.Equal(10, after.Beta.Installs - before.Beta.Installs);
        Assert.Equal(0, after.Production.Failures - before.Production.Failures);
    }

    [Theory]
    [InlineData(FailureMode.Update, MetricCounter.UpdateFail)]
    [InlineData(FailureMode.Download, MetricCounter.DownloadFail)]
    [InlineData(FailureMode.Set, MetricCounter.SetFail)]
    public async Task Injected_failures_reach_the_metrics_as_attempts_and_failures_of_the_failing_bundle(FailureMode mode, MetricCounter counter)
    {
        var before = await host.CountersAsync("1.0.1");
        var options = host.Options(devices: 60, seed: 200 + (int)mode) with
        {
            Rounds = 4,
            Failures = new FailurePlan(0.25, mode, ["1.0.1"], [], Sticky: false),
        };
        var fleet = host.Fleet(options);

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        var tally = summary.Bundles["1.0.1"];
        Assert.InRange(tally.Failed, 5, tally.Attempts / 2);
        Assert.Equal(tally.Attempts, tally.Installed + tally.Failed);
        Assert.Equal(fleet.Devices.Count(d => d.VersionName == "1.0.1"), tally.Installed);
        Assert.All(fleet.Devices, d => Assert.Contains(d.VersionName, new[] { "1.0.1", "builtin" }));
        Assert.Equal(0, summary.PendingStats);

        var after = await host.CountersAsync("1.0.1");
        Assert.Equal(tally.Attempts, after.Attempts - before.Attempts);
        Assert.Equal(tally.Failed, after.Failures - before.Failures);
        Assert.Equal(tally.Failed, after[counter] - before[counter]);
        Assert.Equal(0, after.Failures - before.Failures - (after[counter] - before[counter]));
    }

    [Fact]
    public async Task Failures_can_be_confined_to_the_devices_of_a_segment()
    {
        var before = (All: await host.CountersAsync("1.0.1"), Enterprise: await host.CountersAsync("1.0.1", segment: "enterprise"));
        var options = host.Options(devices: 50, seed: 300) with
        {
            Rounds = 2,
            CustomIds = [new("ent-*", 0.3)],
            Failures = new FailurePlan(1, FailureMode.Update, ["1.0.1"], [new DeviceFilter(DeviceField.CustomIdPrefix, ["ent-"])], Sticky: false),
        };
        var fleet = host.Fleet(options);

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        var enterprise = fleet.Devices.Where(d => d.Profile.CustomId?.StartsWith("ent-", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(15, enterprise.Count);
        Assert.All(enterprise, d => Assert.Equal("builtin", d.VersionName));
        Assert.All(fleet.Devices.Except(enterprise), d => Assert.Equal("1.0.1", d.VersionName));
        Assert.Equal(new BundleTally(Offered: 15 * 2 + 35, Attempts: 65, Installed: 35, Failed: 30), summary.Bundles["1.0.1"]);

        var after = (All: await host.CountersAsync("1.0.1"), Enterprise: await host.CountersAsync("1.0.1", segment: "enterprise"));
        Assert.Equal(30, after.Enterprise.Attempts - before.Enterprise.Attempts);
        Assert.Equal(30, after.Enterprise.Failures - before.Enterprise.Failures);
        Assert.Equal(65, after.All.Attempts - before.All.Attempts);
        Assert.Equal(30, after.All.Failures - before.All.Failures);
    }

    [Fact]
    public async Task Devices_ahead_of_their_channel_are_taken_back_to_its_bundle()
    {
        // As after a rollback: the devices run 1.1.0, production's bundle is 1.0.1, and the server offers the older one.
        var fleet = host.Fleet(host.Options(devices: 12, seed: 400) with { VersionName = "1.1.0", Rounds = 2 });

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        Assert.All(fleet.Devices, d => Assert.Equal("1.0.1", d.VersionName));
        Assert.Equal(new BundleTally(12, 12, 12, 0), summary.Bundles["1.0.1"]);
        Assert.Equal(12, summary.UpToDate);
    }

    [Theory]
    [InlineData(DownloadMode.Get)]
    [InlineData(DownloadMode.Head)]
    public async Task Bundles_really_downloaded_from_storage_install(DownloadMode download)
    {
        var fleet = host.Fleet(host.Options(devices: 6, seed: 500) with { Download = download, Rounds = 1, Channels = [new("beta", 0.5)] });

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        Assert.Equal((6, 0, 0), (summary.Installed, summary.Failed, summary.Errors));
        Assert.Equal(new Dictionary<string, int> { ["1.0.1"] = 3, ["1.1.0"] = 3 }, summary.Versions);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_devices_and_the_same_run()
    {
        var options = host.Options(devices: 30, seed: 600) with
        {
            Platforms = [new("ios", 1), new("android", 2)],
            Failures = new FailurePlan(0.3, FailureMode.Update, ["1.0.1"], [], Sticky: false),
        };

        var first = host.Fleet(options);
        var firstSummary = await first.RunAsync(null, CancellationToken.None);
        var second = host.Fleet(options);
        var secondSummary = await second.RunAsync(null, CancellationToken.None);
        var other = host.Fleet(options with { Seed = 601 });

        Assert.Equal(first.Devices.Select(d => d.Profile), second.Devices.Select(d => d.Profile));
        Assert.Equal(first.Devices.Select(d => d.VersionName), second.Devices.Select(d => d.VersionName));
        Assert.Equal(firstSummary.Bundles["1.0.1"], secondSummary.Bundles["1.0.1"]);
        Assert.Empty(first.Devices.Select(d => d.Profile.DeviceId).Intersect(other.Devices.Select(d => d.Profile.DeviceId)));
    }

    [Fact]
    public async Task Ios_devices_on_a_recent_native_version_count_in_the_ios_modern_segment()
    {
        var before = await host.CountersAsync("1.1.0", segment: "ios-modern");
        var options = host.Options(devices: 20, seed: 700) with
        {
            Rounds = 1,
            VersionName = "1.0.1",
            Channels = [new("beta", 1)],
            Platforms = [new("ios", 1), new("android", 1)],
            VersionBuilds = [new("1.0.0", 1), new("1.1.0", 1)],
        };
        var fleet = host.Fleet(options);

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        Assert.Equal(20, summary.Installed);
        var modern = fleet.Devices.Count(d => d.Profile is { Platform: "ios", VersionBuild: "1.1.0" });
        Assert.InRange(modern, 1, 19);
        var after = await host.CountersAsync("1.1.0", segment: "ios-modern");
        Assert.Equal(modern, after.Installs - before.Installs);
    }

    [Fact]
    public async Task Refusals_of_the_server_are_counted_by_code_and_leave_devices_where_they_are()
    {
        // Production refuses bundles older than the native version: 1.0.1 on a 1.1.0 binary.
        var fleet = host.Fleet(host.Options(devices: 10, seed: 800) with { Rounds = 1, VersionBuilds = [new("1.1.0", 1)] });

        var summary = await fleet.RunAsync(null, CancellationToken.None);

        Assert.Equal(10, summary.Refused);
        Assert.Equal(10, summary.Refusals["disable_auto_update_under_native"]);
        Assert.All(fleet.Devices, d => Assert.Equal("builtin", d.VersionName));
    }
}
