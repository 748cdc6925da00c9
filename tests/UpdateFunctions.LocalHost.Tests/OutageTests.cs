using Microsoft.AspNetCore.Mvc.Testing;
using System.Text.Json.Nodes;
using UpdateFunctions.Testing;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests;

/// <summary>What devices see when a dependency is down: a 503 they retry (honouring Retry-After), never a 500.</summary>
public sealed class OutageTests
{
    /// <summary>Azurite's well-known development account, at a port where nothing listens.</summary>
    private const string UnreachableStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public async Task Update_check_is_503_with_retry_after_when_storage_is_down_and_nothing_was_ever_loaded()
    {
        await using var factory = new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
            builder.UseSetting("Storage:ConnectionString", UnreachableStorage));
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/updates", new StringContent(Device().ToJsonString()));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("service_unavailable", body.Str("error"));
        Assert.Equal("failed", body.Str("kind"));
    }

    [Fact]
    public async Task Stats_are_503_with_retry_after_when_the_telemetry_transport_is_full()
    {
        // One partition holding two events, aggregated only after a long batch window: the third event finds it full.
        await using var host = await TestLocalHost.StartAsync(
            ("LocalHost:Telemetry:Partitions", "1"), ("LocalHost:Telemetry:PartitionCapacity", "2"), ("LocalHost:Telemetry:MaxWaitTime", "00:01:00"));
        var batch = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            var e = Device(deviceId: $"0c0ffee0-0000-4000-8000-{i:D12}");
            e["action"] = "set";
            batch.Add(e);
        }

        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", batch);

        Assert.Equal(503, status);
        Assert.Equal("service_unavailable", body.Str("error"));
    }
}

/// <summary>Rate limiting at the device edge, as the plugin sees it.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_device_calling_too_often_gets_429_with_retry_after()
    {
        await using var host = await TestLocalHost.StartAsync(("DeviceApi:RateLimitPerDevicePerMinute", "3"));
        var client = host.Client;

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await CheckAsync(client, Device(versionName: "1.0.1"))).Status);
        using var refused = await client.PostAsync("/api/updates", new StringContent(Device(versionName: "1.0.1").ToJsonString()));
        var other = await CheckAsync(client, Device(deviceId: "0c0ffee0-0000-4000-8000-000000000002", versionName: "1.0.1"));

        Assert.Equal([200, 200, 200, 429], statuses);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("rate_limited", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(200, other.Status);
    }
}
