using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using UpdateFunctions.Testing;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests;

/// <summary>
/// Storage goes away while the service runs, then comes back: update checks keep answering from the snapshot,
/// management calls answer 503 with Retry-After, and everything works again without a restart. The outage is made
/// at the Azure SDK's transport (every request is sent to a port where nothing listens), as a stopped Azurite would be.
/// </summary>
public sealed class StorageOutageRecoveryTests : IAsyncLifetime
{
    private readonly OutageSwitch _outage = new();
    private readonly string _bootstrapKey = Core.Management.ApiKeySecrets.Mint().Secret;
    private TestLocalHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync([("Storage:SnapshotRefreshInterval", "00:00:00.200"), ("Management:BootstrapKey", _bootstrapKey)],
            services => services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
            {
                options.AddPolicy(_outage, HttpPipelinePosition.PerRetry);
                options.Retry.MaxRetries = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(50);
            })));
        _client = _host.Client;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(int Status, string? RetryAfter, JsonObject Body)> ManagementAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bootstrapKey);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? []);
    }

    [Fact]
    public async Task During_an_outage_checks_answer_from_the_snapshot_management_is_503_and_all_recovers_without_restart()
    {
        var (warm, _) = await CheckAsync(_client, Device(versionName: "builtin", versionBuild: "1.0.0"));
        Assert.Equal(200, warm);
        Assert.Equal(200, (await ManagementAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app/channels")).Status);

        _outage.Down = true;
        await Task.Delay(500); // past the refresh interval: every snapshot is stale and its refresh fails
        var checks = new List<string?>();
        for (var i = 0; i < 5; i++)
            checks.Add((await CheckAsync(_client, Device(deviceId: $"0c0ffee0-0000-4000-8000-00000000a{i:D3}".Replace('a', '5'), versionName: "builtin", versionBuild: "1.0.0"))).Body.Str("version"));
        var write = await ManagementAsync(HttpMethod.Patch, "/api/v1/apps/com.demo.app/channels/beta", new JsonObject { ["allowDeviceSelfSet"] = false });

        Assert.All(checks, v => Assert.Equal("1.0.1", v));
        Assert.Equal(503, write.Status);
        Assert.Equal("storage_unavailable", write.Body.Str("error"));
        Assert.NotNull(write.RetryAfter);

        _outage.Down = false;
        var recovered = await ManagementAsync(HttpMethod.Put, "/api/v1/apps/com.demo.app/channels/production/bundle", new JsonObject { ["version"] = "1.1.0" });
        Assert.Equal(200, recovered.Status);
        // Same instance: the change is visible to the next check at once.
        var (_, after) = await CheckAsync(_client, Device(versionName: "builtin", versionBuild: "1.0.0"));
        Assert.Equal("1.1.0", after.Str("version"));
    }

    /// <summary>Sends every storage request to a dead port while down, so the SDK's own transport fails.</summary>
    private sealed class OutageSwitch : HttpPipelineSynchronousPolicy
    {
        public volatile bool Down;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (Down)
                message.Request.Uri.Port = 1;
        }
    }
}
