using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests.Devices;

/// <summary>Each scenario of samples/demo-seed.json, asked the way the plugin asks.</summary>
[Collection(LocalHostGroup.Name)]
public sealed class UpdatesEndpointTests(LocalHostFixture host)
{
    private const string PinnedDevice = "0c0ffee0-0000-4000-8000-0000000000a1";
    private const string BetaOverrideDevice = "0c0ffee0-0000-4000-8000-0000000000b1";
    private const string InternalOverrideDevice = "0c0ffee0-0000-4000-8000-0000000000c1";

    [Fact]
    public async Task Check_offers_the_production_bundle_to_a_fresh_install_and_its_url_serves_the_checksummed_zip()
    {
        var (status, body) = await CheckAsync(host.Client, Device(versionName: "builtin", versionBuild: "1.0.0"));

        Assert.Equal(200, status);
        Assert.Equal("1.0.1", body.Str("version"));
        Assert.Equal("", body.Str("session_key"));
        Assert.Null(body["error"]);
        var url = new Uri(body.Str("url")!);
        Assert.True(url.IsAbsoluteUri);
        Assert.EndsWith($"/{AppId}/{body.Str("checksum")}.zip", url.AbsolutePath, StringComparison.Ordinal);

        var zip = await host.Downloader.GetByteArrayAsync(url);
        Assert.Equal(body.Str("checksum"), Convert.ToHexStringLower(SHA256.HashData(zip)));
        Assert.Equal((byte)'P', zip[0]); // a real zip: "PK"
    }

    [Fact]
    public async Task Check_returns_no_update_when_device_is_on_latest()
    {
        var (status, body) = await CheckAsync(host.Client, Device(versionName: "1.0.1"));

        Assert.Equal(200, status);
        Assert.Equal("no_new_version_available", body.Str("error"));
        Assert.Equal("up_to_date", body.Str("kind"));
        Assert.Equal("No new version available", body.Str("message"));
    }

    [Fact]
    public async Task Check_offers_the_beta_bundle_to_a_device_asking_for_beta()
    {
        var (_, body) = await CheckAsync(host.Client, Device(versionName: "1.0.1", defaultChannel: "beta"));

        Assert.Equal("1.1.0", body.Str("version"));
    }

    [Fact]
    public async Task Check_follows_an_admin_channel_override()
    {
        var (_, body) = await CheckAsync(host.Client, Device(deviceId: BetaOverrideDevice, versionName: "1.0.1"));

        Assert.Equal("1.1.0", body.Str("version"));
    }

    [Fact]
    public async Task Check_offers_a_pinned_bundle_even_when_older_than_the_current_one()
    {
        var (_, body) = await CheckAsync(host.Client, Device(deviceId: PinnedDevice, versionName: "1.1.0", defaultChannel: "beta"));

        Assert.Equal("1.0.1", body.Str("version"));
    }

    [Fact]
    public async Task Check_blocks_a_major_upgrade_on_a_channel_that_fences_majors()
    {
        var (status, body) = await CheckAsync(host.Client, Device(versionName: "1.0.1", versionBuild: "1.0.0", defaultChannel: "next"));

        Assert.Equal(200, status);
        Assert.Equal("disable_auto_update_to_major", body.Str("error"));
        Assert.Equal("blocked", body.Str("kind"));
        Assert.True(body["major"]!.GetValue<bool>());
        Assert.Equal("2.0.0", body.Str("version"));
        Assert.Equal("1.0.0", body.Str("old")); // the native version the fence compared with, as in Capgo
    }

    [Fact]
    public async Task Check_offers_the_next_major_to_a_device_whose_native_version_has_that_major()
    {
        var (_, body) = await CheckAsync(host.Client, Device(versionName: "1.0.1", versionBuild: "2.0", defaultChannel: "next"));

        Assert.Equal("2.0.0", body.Str("version"));
    }

    [Fact]
    public async Task Check_gives_no_channel_without_fallback_when_the_requested_channel_is_off_for_the_platform()
    {
        var (status, body) = await CheckAsync(host.Client, Device(platform: "electron", defaultChannel: "next"));

        Assert.Equal(200, status);
        Assert.Equal("no_channel", body.Str("error"));
        Assert.Equal("failed", body.Str("kind"));
        Assert.Null(body["version"]);
    }

    [Fact]
    public async Task Check_gives_no_channel_when_the_requested_channel_is_private()
    {
        var (_, body) = await CheckAsync(host.Client, Device(defaultChannel: "internal"));

        Assert.Equal("no_channel", body.Str("error"));
    }

    [Fact]
    public async Task Check_refuses_prod_builds_on_a_dev_only_channel()
    {
        var (_, body) = await CheckAsync(host.Client, Device(deviceId: InternalOverrideDevice, versionName: "1.0.1", isProd: true));

        Assert.Equal("disable_prod_build", body.Str("error"));
        Assert.Equal("blocked", body.Str("kind"));
    }

    [Fact]
    public async Task Check_refuses_emulators_on_a_channel_that_disallows_them()
    {
        var (_, body) = await CheckAsync(host.Client, Device(deviceId: InternalOverrideDevice, versionName: "1.0.1", isProd: false, isEmulator: true));

        Assert.Equal("disable_emulator", body.Str("error"));
    }

    [Fact]
    public async Task Check_offers_the_internal_bundle_to_a_dev_build_on_a_real_device()
    {
        var (_, body) = await CheckAsync(host.Client, Device(deviceId: InternalOverrideDevice, versionName: "1.0.1", isProd: false));

        Assert.Equal("1.1.0", body.Str("version"));
    }

    [Fact]
    public async Task Check_refuses_a_bundle_older_than_the_native_version()
    {
        var (_, body) = await CheckAsync(host.Client, Device(versionName: "builtin", versionBuild: "1.2.0"));

        Assert.Equal("disable_auto_update_under_native", body.Str("error"));
        Assert.Equal("blocked", body.Str("kind"));
    }

    [Fact]
    public async Task Check_of_an_unknown_app_is_404_app_not_found()
    {
        var (status, body) = await CheckAsync(host.Client, Device(appId: "com.nobody.app"));

        Assert.Equal(404, status);
        Assert.Equal("app_not_found", body.Str("error"));
        Assert.Equal("failed", body.Str("kind"));
    }

    [Fact]
    public async Task Check_accepts_the_body_whatever_the_content_type()
    {
        var (status, text) = await PostRawAsync(host.Client, "/api/updates",
            Encoding.UTF8.GetBytes(Device(versionName: "1.0.1").ToJsonString()), "text/plain");

        Assert.Equal(200, status);
        Assert.Contains("no_new_version_available", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "invalid_json_parse_body")]
    [InlineData("", "invalid_json_parse_body")]
    [InlineData("{\"app_id\":", "invalid_json_parse_body")]
    [InlineData("[1,2]", "invalid_json_body")]
    [InlineData("{\"app_id\":\"com.demo.app\",\"app_id\":\"com.demo.app\"}", "invalid_json_parse_body")]
    [InlineData("{\"device_id\":\"abc\"}", "missing_app_id")]
    [InlineData("{\"app_id\":\"com.demo.app\"}", "missing_device_id")]
    public async Task Check_answers_bad_bodies_with_400_and_a_code(string body, string code)
    {
        var (status, text) = await PostRawAsync(host.Client, "/api/updates", Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, status);
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, json.Str("error"));
        Assert.False(string.IsNullOrWhiteSpace(json.Str("message")));
    }

    [Theory]
    [InlineData("is_emulator", "\"yes\"", "invalid_json_body")]
    [InlineData("platform", "\"symbian\"", "invalid_json_body")]
    [InlineData("device_id", "12", "invalid_json_body")]
    [InlineData("version_build", "\"one\"", "semver_error")]
    [InlineData("version_name", "\"1.0\"", "semver_error")]
    [InlineData("plugin_version", "\"x\"", "invalid_json_body")]
    public async Task Check_answers_wrong_types_and_values_with_400_and_a_code(string field, string rawValue, string code)
    {
        var device = Device();
        device[field] = JsonNode.Parse(rawValue);

        var (status, body) = await CheckAsync(host.Client, device);

        Assert.Equal(400, status);
        Assert.Equal(code, body.Str("error"));
    }

    [Fact]
    public async Task Check_refuses_bodies_over_64_KiB_with_400()
    {
        var device = Device();
        device["padding"] = new string('x', 70 * 1024);

        var (status, body) = await CheckAsync(host.Client, device);

        Assert.Equal(400, status);
        Assert.Equal("body_too_large", body.Str("error"));
    }
}
