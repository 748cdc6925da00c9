using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.LocalHost.Telemetry;

namespace UpdateFunctions.LocalHost.Tests.Management;

/// <summary>Stats sent like the plugin sends them come back out of <c>GET /api/v1/apps/{app}/metrics</c>.</summary>
[Collection(ManagementGroup.Name)]
public sealed class MetricsApiTests(ManagementFixture host)
{
    private static JsonObject Event(string deviceId, string action, string bundle) => new()
    {
        ["app_id"] = "com.demo.app", ["device_id"] = deviceId, ["platform"] = "android",
        ["version_name"] = bundle, ["version_build"] = "1.0.0", ["is_emulator"] = false, ["is_prod"] = true,
        ["custom_id"] = deviceId.EndsWith('1') ? "ent-acme" : "", ["action"] = action,
    };

    [Fact]
    public async Task Metrics_group_by_bundle_and_segment_with_adoption_and_success_rate()
    {
        var batch = new JsonArray();
        for (var i = 0; i < 4; i++)
        {
            var id = $"0c0ffee0-0000-4000-8000-00000000m{i:D3}".Replace('m', '9');
            batch.Add(Event(id, "set", "8.8.8"));
            batch.Add(Event(id, "app_moved_to_foreground", "8.8.8"));
        }
        batch.Add(Event("0c0ffee0-0000-4000-8000-000000009991", "download_zip_start", "8.8.8"));
        batch.Add(Event("0c0ffee0-0000-4000-8000-000000009991", "download_fail", "8.8.8"));
        await host.SendAsync(HttpMethod.Post, "/api/stats", batch);
        await host.Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);

        var reply = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app/metrics?groupBy=bundle,segment&interval=total");

        Assert.Equal(200, reply.Status);
        var series = reply.Body!["series"]!.AsArray();
        var all = series.Single(s => s!["bundle"]!.GetValue<string>() == "8.8.8" && s["segment"]!.GetValue<string>() == "all")!["total"]!;
        Assert.Equal(4, all["installs"]!.GetValue<long>());
        Assert.Equal(1, all["failures"]!.GetValue<long>());
        Assert.Equal(0.8, all["successRate"]!.GetValue<double>(), 3);
        // The device whose only event is a failed download never ran the bundle: not active on it.
        Assert.Equal(4, all["uniqueDevices"]!.GetValue<long>());
        var enterprise = series.Single(s => s!["bundle"]!.GetValue<string>() == "8.8.8" && s["segment"]!.GetValue<string>() == "enterprise")!["total"]!;
        Assert.Equal(1, enterprise["installs"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_failed_update_check_shows_as_a_check_failure_and_not_as_a_failure_of_the_bundle()
    {
        // What the v8 plugin sends when its update check gets a 429 or a 503: download_fail of the bundle it runs.
        var batch = new JsonArray
        {
            Event("0c0ffee0-0000-4000-8000-000000007701", "set", "7.7.1"),
            Event("0c0ffee0-0000-4000-8000-000000007701", "download_fail", "7.7.1"),
            Event("0c0ffee0-0000-4000-8000-000000007702", "download_fail", "7.7.1"),
        };
        await host.SendAsync(HttpMethod.Post, "/api/stats", batch);
        await host.Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);

        var reply = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app/metrics?groupBy=bundle&interval=total");

        var total = reply.Body!["series"]!.AsArray().Single(s => s!["bundle"]!.GetValue<string>() == "7.7.1")!["total"]!;
        Assert.Equal((1L, 0L, 2L), (total["attempts"]!.GetValue<long>(), total["failures"]!.GetValue<long>(), total["checkFailures"]!.GetValue<long>()));
        Assert.Equal(1.0, total["successRate"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task Failures_are_broken_down_by_kind_and_the_kinds_add_up_to_the_failures()
    {
        var batch = new JsonArray
        {
            Event("0c0ffee0-0000-4000-8000-000000006601", "download_zip_start", "6.6.1"),
            Event("0c0ffee0-0000-4000-8000-000000006601", "download_fail", "6.6.1"),
            Event("0c0ffee0-0000-4000-8000-000000006602", "set_fail", "6.6.1"),
            Event("0c0ffee0-0000-4000-8000-000000006603", "set", "6.6.1"),
            Event("0c0ffee0-0000-4000-8000-000000006603", "update_fail", "6.6.1"),
            Event("0c0ffee0-0000-4000-8000-000000006604", "update_fail", "6.6.1"),
        };
        await host.SendAsync(HttpMethod.Post, "/api/stats", batch);
        await host.Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);

        var reply = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app/metrics?groupBy=bundle&interval=total");

        var total = reply.Body!["series"]!.AsArray().Single(s => s!["bundle"]!.GetValue<string>() == "6.6.1")!["total"]!;
        long Read(string name) => total[name]!.GetValue<long>();
        Assert.Equal((1L, 1L, 2L, 4L), (Read("downloadFailures"), Read("installFailures"), Read("rollbacks"), Read("failures")));
    }

    [Theory]
    [InlineData("/api/v1/apps/com.demo.app/metrics?interval=minute", 400, "invalid_query")]
    [InlineData("/api/v1/apps/com.nobody.app/metrics", 404, "app_not_found")]
    public async Task Bad_metrics_queries_have_a_code(string path, int status, string code)
    {
        var reply = await host.SendAsync(HttpMethod.Get, path);

        Assert.Equal(status, reply.Status);
        Assert.Equal(code, reply.Error);
    }

    [Fact]
    public async Task Metrics_need_a_key()
    {
        var reply = await host.SendRawAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app/metrics", null, key: "");

        Assert.Equal(401, reply.Status);
    }
}
