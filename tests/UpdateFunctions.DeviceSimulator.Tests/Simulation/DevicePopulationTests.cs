using UpdateFunctions.Core.Devices;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

public sealed class DevicePopulationTests
{
    private static SimulationOptions Options(int devices, int seed) => new() { ServerUrl = new("http://127.0.0.1:7071"), Devices = devices, Seed = seed };

    [Fact]
    public void The_same_seed_gives_the_same_devices()
    {
        var first = DevicePopulation.Create(Options(200, 9) with { CustomIds = [new("ent-*", 0.2)], Channels = [new("beta", 0.1)] });
        var second = DevicePopulation.Create(Options(200, 9) with { CustomIds = [new("ent-*", 0.2)], Channels = [new("beta", 0.1)] });

        Assert.Equal(first.Select(d => d.Profile), second.Select(d => d.Profile));
    }

    [Fact]
    public void Another_seed_gives_other_device_ids()
    {
        var first = DevicePopulation.Create(Options(200, 9)).Select(d => d.Profile.DeviceId);
        var second = DevicePopulation.Create(Options(200, 10)).Select(d => d.Profile.DeviceId);

        Assert.Empty(first.Intersect(second));
    }

    [Fact]
    public void Device_ids_are_distinct_lower_case_version_4_uuids_the_server_accepts()
    {
        var ids = DevicePopulation.Create(Options(1000, 1)).Select(d => d.Profile.DeviceId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.True(Guid.TryParseExact(id, "D", out _));
            Assert.Equal(id.ToLowerInvariant(), id);
            Assert.Equal('4', id[14]);
            Assert.Contains(id[19], "89ab");
            Assert.True(DeviceInfoReader.IsValidDeviceId(id));
        });
    }

    [Fact]
    public void Shares_are_exact_and_attributes_independent()
    {
        var devices = DevicePopulation.Create(Options(50, 3) with
        {
            Platforms = [new("ios", 0.3), new("android", 0.7)],
            Channels = [new("beta", 0.1)],
            CustomIds = [new("ent-*", 0.2), new("tester-1", 0.02)],
        });

        Assert.Equal(15, devices.Count(d => d.Profile.Platform == "ios"));
        Assert.Equal(5, devices.Count(d => d.Profile.Channel == "beta"));
        Assert.Equal(45, devices.Count(d => d.Profile.Channel is null));
        Assert.Equal(10, devices.Count(d => d.Profile.CustomId?.StartsWith("ent-", StringComparison.Ordinal) == true));
        Assert.Equal(1, devices.Count(d => d.Profile.CustomId == "tester-1"));
        Assert.All(devices.Where(d => d.Profile.CustomId?.StartsWith("ent-", StringComparison.Ordinal) == true),
            d => Assert.Equal($"ent-{d.Profile.Number}", d.Profile.CustomId));
        // Not the first 15 devices, nor the same devices for two attributes.
        Assert.NotEqual(Enumerable.Range(1, 15), devices.Where(d => d.Profile.Platform == "ios").Select(d => d.Profile.Number));
    }

    [Fact]
    public void Devices_start_on_the_given_bundle_and_report_what_the_platform_plugin_reports()
    {
        var devices = DevicePopulation.Create(Options(4, 1) with { VersionName = "1.0.1", VersionBuilds = [new("1.2.3", 1)], Platforms = [new("android", 1)] });

        Assert.All(devices, d =>
        {
            Assert.Equal("1.0.1", d.VersionName);
            Assert.Equal("1.2.3", d.Profile.VersionBuild);
            Assert.Equal("10203", d.Profile.VersionCode);
            Assert.Equal("google_play", d.Profile.InstallSource);
        });
    }
}
