using System.Text;
using System.Text.Json.Nodes;
using UpdateFunctions.Core.Telemetry;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests.Devices;

[Collection(LocalHostGroup.Name)]
public sealed class StatsEndpointTests(LocalHostFixture host)
{
    private static JsonObject Event(string action, string versionName = "1.0.1", string appId = AppId)
    {
        var body = Device(versionName: versionName, appId: appId);
        body["action"] = action;
        body["old_version_name"] = "builtin";
        body["timestamp"] = 1_764_000_000_000;
        return body;
    }

    [Fact]
    public async Task Stats_accepts_a_single_event_from_an_older_plugin()
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", Event("set", versionName: "5.0.1"));
        await host.Telemetry.DrainAsync(CancellationToken.None);

        Assert.Equal(200, status);
        Assert.Equal("ok", body.Str("status"));
        Assert.Equal(1, await CountAsync("5.0.1", c => c.Installs));
    }

    [Fact]
    public async Task Stats_reach_the_metrics_through_the_in_process_event_hub_exactly_once()
    {
        // Many devices (so several partitions), each reporting a download, an install and a failure.
        var batch = new JsonArray();
        for (var i = 0; i < 30; i++)
        {
            var deviceId = $"0c0ffee0-0000-4000-8000-{i:D12}";
            foreach (var action in new[] { "download_complete", "set", "update_fail" })
            {
                var e = Event(action, versionName: "5.0.2");
                e["device_id"] = deviceId;
                batch.Add(e);
            }
        }

        var (status, _) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", batch);
        await host.Telemetry.DrainAsync(CancellationToken.None);

        Assert.Equal(200, status);
        Assert.Equal(30, await CountAsync("5.0.2", c => c.Installs));
        Assert.Equal(30, await CountAsync("5.0.2", c => c.DownloadsCompleted));
        Assert.Equal(30, await CountAsync("5.0.2", c => c.Failures));
    }

    [Fact]
    public async Task Stats_are_counted_under_the_channel_the_device_is_on_even_when_it_did_not_name_one()
    {
        var onDefault = Event("set", versionName: "5.0.3");
        var onBeta = Event("set", versionName: "5.0.3");
        onBeta["device_id"] = "0c0ffee0-0000-4000-8000-0000000000b1"; // admin override to beta in the demo seed

        await SendAsync(host.Client, HttpMethod.Post, "/api/stats", new JsonArray(onDefault, onBeta));
        await host.Telemetry.DrainAsync(CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var rows = (await host.Metrics.QueryAsync(AppId, now.AddHours(-2), now.AddHours(1), CancellationToken.None))
            .Where(r => r.Key.BundleVersion == "5.0.3" && r.Key.Segment == MetricKey.AllSegment).ToList();
        Assert.Equal(1, rows.Where(r => r.Key.Channel == "production").Sum(r => r.Counters.Installs));
        Assert.Equal(1, rows.Where(r => r.Key.Channel == "beta").Sum(r => r.Counters.Installs));
    }

    private async Task<long> CountAsync(string bundle, Func<MetricCounters, long> counter)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = await host.Metrics.QueryAsync(AppId, now.AddHours(-2), now.AddHours(1), CancellationToken.None);
        return rows.Where(r => r.Key.BundleVersion == bundle && r.Key.Segment == MetricKey.AllSegment).Sum(r => counter(r.Counters));
    }

    /// <summary>An event of about <paramref name="bytes"/> bytes of JSON: metadata values of escaped characters.</summary>
    private static JsonObject LargeEvent(string versionName, int bytes)
    {
        var e = Event("set", versionName: versionName);
        var metadata = new JsonObject();
        // Each \u00e9 is 6 bytes of JSON for one character: 30 values of 512 characters make ~92 KiB.
        for (var i = 0; metadata.ToJsonString().Length < bytes && i < 30; i++)
            metadata[$"k{i}"] = new string('\u00e9', 512);
        e["metadata"] = metadata;
        return e;
    }

    [Fact]
    public async Task An_event_over_64_KiB_is_refused_by_name_in_a_batch_and_the_others_are_counted()
    {
        var large = LargeEvent("5.0.9", 70 * 1024);
        var batch = new JsonArray(Event("set", versionName: "5.0.9"), large);
        var text = batch.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });

        var (status, reply) = await PostRawAsync(host.Client, "/api/stats", Encoding.UTF8.GetBytes(text));
        await host.Telemetry.DrainAsync(CancellationToken.None);

        Assert.True(text.Length > 64 * 1024 + 1024, $"the test batch is only {text.Length} bytes");
        Assert.Equal(200, status);
        var results = JsonNode.Parse(reply)!["results"]!.AsArray();
        Assert.Equal("ok", results[0]!["status"]!.GetValue<string>());
        Assert.Equal(("error", "event_too_large"), (results[1]!["status"]!.GetValue<string>(), results[1]!["error"]!.GetValue<string>()));
        Assert.Equal(1, await CountAsync("5.0.9", c => c.Installs));
    }

    [Fact]
    public async Task A_single_event_over_64_KiB_is_a_400_with_its_code()
    {
        var text = LargeEvent("5.0.10", 70 * 1024).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });

        var (status, reply) = await PostRawAsync(host.Client, "/api/stats", Encoding.UTF8.GetBytes(text));

        Assert.Equal(400, status);
        Assert.Equal("event_too_large", JsonNode.Parse(reply)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stats_accepts_a_v8_batch_and_reports_each_event()
    {
        var bad = Event("set");
        bad["is_prod"] = "yes";
        var batch = new JsonArray(Event("download_complete"), bad, Event("app_moved_to_foreground"), Event("a_future_action"));

        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", batch);

        Assert.Equal(200, status);
        Assert.Equal("ok", body.Str("status"));
        var results = body["results"]!.AsArray();
        Assert.Equal(4, results.Count);
        Assert.Equal(["ok", "error", "ok", "ok"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal("invalid_json_body", results[1]!["error"]!.GetValue<string>());
        Assert.Equal(1, results[1]!["index"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stats_accepts_per_file_failures_naming_a_file()
    {
        var (status, _) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", Event("download_manifest_file_fail", "1.1.0:assets/app.js"));

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Stats_refuses_a_batch_mixing_apps()
    {
        var batch = new JsonArray(Event("set"), Event("set", appId: "com.other.app"));

        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", batch);

        Assert.Equal(200, status);
        Assert.Equal("mixed_app_ids", body.Str("error"));
    }

    [Fact]
    public async Task Stats_of_an_unknown_app_is_404()
    {
        var (status, body) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", Event("set", appId: "com.nobody.app"));

        Assert.Equal(404, status);
        Assert.Equal("app_not_found", body.Str("error"));
    }

    [Theory]
    [InlineData("{\"action\": 5}", "missing_app_id")]
    [InlineData("nope", "invalid_json_parse_body")]
    [InlineData("\"set\"", "invalid_json_body")]
    public async Task Stats_answers_bad_bodies_with_400_and_a_code(string body, string code)
    {
        var (status, text) = await PostRawAsync(host.Client, "/api/stats", Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, status);
        Assert.Equal(code, JsonNode.Parse(text)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stats_action_must_be_a_string()
    {
        var body = Event("set");
        body["action"] = 5;

        var (status, json) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", body);

        Assert.Equal(400, status);
        Assert.Equal("invalid_json_body", json.Str("error"));
        Assert.Equal("action must be a string.", json.Str("message"));
    }

    [Fact]
    public async Task Stats_single_event_without_action_is_400()
    {
        var body = Device();

        var (status, json) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", body);

        Assert.Equal(400, status);
        Assert.Equal("action is required.", json.Str("message"));
    }

    [Fact]
    public async Task Stats_metadata_must_be_string_pairs()
    {
        var body = Event("app_crash");
        body["metadata"] = new JsonObject { ["reason"] = 42 };

        var (status, json) = await SendAsync(host.Client, HttpMethod.Post, "/api/stats", body);

        Assert.Equal(400, status);
        Assert.Equal("invalid_json_body", json.Str("error"));
    }
}
