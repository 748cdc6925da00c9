using System.Text.Json.Nodes;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests.Devices;

[Collection(LocalHostGroup.Name)]
public sealed class ChannelSelfEndpointTests(LocalHostFixture host)
{
    private static JsonObject WithChannel(JsonObject device, string? channel)
    {
        if (channel is not null)
            device["channel"] = channel;
        return device;
    }

    private static string NewDeviceId() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Post_assigns_a_self_assignable_channel_that_older_plugins_then_get_updates_from()
    {
        var deviceId = NewDeviceId();

        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/channel_self", WithChannel(Device(deviceId, versionName: "1.0.1"), "beta"));
        Assert.Equal(200, status);
        Assert.Equal("ok", body.Str("status"));
        Assert.True(body["allowSet"]!.GetValue<bool>());

        // An older plugin does not send defaultChannel: the server-side self-assignment decides.
        var (_, check) = await CheckAsync(host.Client, Device(deviceId, versionName: "1.0.1"));
        Assert.Equal("1.1.0", check.Str("version"));

        var (_, get) = await SendAsync(host.Client, HttpMethod.Put, "/api/channel_self", Device(deviceId, versionName: "1.0.1"));
        Assert.Equal("beta", get.Str("channel"));
        Assert.Equal("override", get.Str("status"));
        Assert.True(get["allowSet"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Delete_removes_the_self_assignment_and_the_device_is_back_on_the_default()
    {
        var deviceId = NewDeviceId();
        await SendAsync(host.Client, HttpMethod.Post, "/api/channel_self", WithChannel(Device(deviceId, versionName: "1.0.1"), "beta"));

        var (status, body) = await SendAsync(host.Client, HttpMethod.Delete,
            $"/api/channel_self?app_id={AppId}&device_id={deviceId}&platform=android&version_name=1.0.1&version_build=1.0.0&is_emulator=false&is_prod=true", null);
        Assert.Equal(200, status);
        Assert.Equal("ok", body.Str("status"));

        var (_, get) = await SendAsync(host.Client, HttpMethod.Put, "/api/channel_self", Device(deviceId, versionName: "1.0.1"));
        Assert.Equal("production", get.Str("channel"));
        Assert.Equal("default", get.Str("status"));
    }

    [Fact]
    public async Task Delete_takes_the_device_info_in_the_body_too()
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Delete, "/api/channel_self", Device(NewDeviceId()));

        Assert.Equal(200, status);
        Assert.Equal("ok", body.Str("status"));
    }

    [Fact]
    public async Task Post_of_the_public_default_channel_unsets()
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/channel_self", WithChannel(Device(NewDeviceId()), "production"));

        Assert.Equal(200, status);
        Assert.True(body["unset"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(null, "missing_channel")]
    [InlineData("nope", "channel_not_found")]
    [InlineData("internal", "channel_self_set_not_allowed")]
    public async Task Post_refuses_with_a_code(string? channel, string code)
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/channel_self", WithChannel(Device(NewDeviceId()), channel));

        Assert.Equal(400, status);
        Assert.Equal(code, body.Str("error"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
    }

    [Fact]
    public async Task Post_refuses_a_self_assignable_channel_that_is_off_for_the_platform()
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/channel_self", WithChannel(Device(NewDeviceId(), platform: "electron"), "next"));

        Assert.Equal(400, status);
        Assert.Equal("channel_self_set_not_allowed", body.Str("error"));
    }

    [Fact]
    public async Task Put_reports_an_admin_override()
    {
        var (_, body) = await SendAsync(host.Client, HttpMethod.Put, "/api/channel_self", Device("0c0ffee0-0000-4000-8000-0000000000b1"));

        Assert.Equal("beta", body.Str("channel"));
        Assert.Equal("override", body.Str("status"));
    }

    [Fact]
    public async Task Get_lists_the_channels_a_device_may_pick_as_a_bare_array()
    {
        using var response = await host.Client.GetAsync($"/api/channel_self?app_id={AppId}&platform=android&is_emulator=false&is_prod=true");
        var array = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["production", "beta", "next"], array.Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(array[0]!["public"]!.GetValue<bool>());
        Assert.True(array[1]!["allow_self_set"]!.GetValue<bool>());
        Assert.Equal(1, array[0]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Get_leaves_out_channels_closed_to_the_platform()
    {
        using var response = await host.Client.GetAsync($"/api/channel_self?app_id={AppId}&platform=electron&is_emulator=false&is_prod=true");
        var array = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(["production", "beta"], array.Select(c => c!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("platform=android&is_emulator=false&is_prod=true")]
    [InlineData("app_id=com.demo.app&platform=android&is_emulator=maybe&is_prod=true")]
    [InlineData("app_id=com.demo.app&platform=palm&is_emulator=false&is_prod=true")]
    public async Task Get_with_a_bad_query_is_400_invalid_query_parameters(string query)
    {
        using var response = await host.Client.GetAsync($"/api/channel_self?{query}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_query_parameters", body.Str("error"));
    }
}
