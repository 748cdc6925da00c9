using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using UpdateFunctions.DeviceSimulator.Simulation;
using UpdateFunctions.DeviceSimulator.Tests.Support;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

/// <summary>What the simulated devices put on the wire, checked against a stub server (no storage needed).</summary>
public sealed class DeviceFleetProtocolTests
{
    private static SimulationOptions Options(int devices = 1, int rounds = 1) => new()
    {
        ServerUrl = StubDeviceApi.BaseAddress,
        Devices = devices,
        Seed = 42,
        Rounds = rounds,
        Interval = TimeSpan.Zero,
    };

    private static async Task<(SimulationSummary Summary, DeviceFleet Fleet)> RunAsync(StubDeviceApi stub, SimulationOptions options)
    {
        using var client = new HttpClient(stub, disposeHandler: false);
        var fleet = new DeviceFleet(client, client, options, TimeProvider.System);
        return (await fleet.RunAsync(null, CancellationToken.None), fleet);
    }

    private static string[] Actions(StubDeviceApi stub) => [.. stub.Events.Select(e => (string)e["action"]!)];

    [Fact]
    public async Task An_update_check_carries_exactly_the_fields_the_plugin_sends()
    {
        using var stub = new StubDeviceApi(_ => StubDeviceApi.UpToDate());

        await RunAsync(stub, Options());

        var check = Assert.Single(stub.Checks);
        Assert.Equal(
            ["app_id", "custom_id", "defaultChannel", "device_id", "install_source", "is_emulator", "is_prod", "platform", "plugin_version", "version_build", "version_code", "version_name", "version_os"],
            check.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("builtin", (string?)check["version_name"]);
        Assert.Equal("", (string?)check["custom_id"]);
        Assert.Equal("", (string?)check["defaultChannel"]);
        Assert.Equal(JsonValueKind.True, check["is_prod"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, check["is_emulator"]!.GetValueKind());
    }

    [Fact]
    public async Task A_successful_install_reports_download_complete_then_set_and_the_device_then_runs_the_bundle()
    {
        using var stub = new StubDeviceApi(StubDeviceApi.Channel("1.2.0"));

        var (summary, fleet) = await RunAsync(stub, Options(rounds: 2));

        Assert.Equal(["download_zip_start", "download_complete", "set"], Actions(stub));
        var events = stub.Events.ToArray();
        Assert.All(events, e => Assert.Equal("1.2.0", (string?)e["version_name"]));
        Assert.Equal("", (string?)events[1]["old_version_name"]);
        Assert.Equal("builtin", (string?)events[2]["old_version_name"]);
        Assert.All(events, e => Assert.True((long)e["timestamp"]! > 1_700_000_000_000));
        Assert.Equal(["builtin", "1.2.0"], stub.Checks.Select(c => (string?)c["version_name"]));
        Assert.Equal("1.2.0", Assert.Single(fleet.Devices).VersionName);
        Assert.Equal(new BundleTally(1, 1, 1, 0), summary.Bundles["1.2.0"]);
        Assert.Equal(1, summary.UpToDate);
    }

    [Theory]
    [InlineData(FailureMode.Update, new[] { "download_zip_start", "download_complete", "set", "update_fail" })]
    [InlineData(FailureMode.Download, new[] { "download_zip_start", "download_fail" })]
    [InlineData(FailureMode.Set, new[] { "download_zip_start", "download_complete", "set_fail" })]
    public async Task A_failed_install_reports_what_the_plugin_reports_names_the_offered_bundle_and_leaves_the_device_on_its_bundle(FailureMode mode, string[] actions)
    {
        using var stub = new StubDeviceApi(StubDeviceApi.Channel("1.2.0"));
        var options = Options(rounds: 2) with { Failures = new FailurePlan(1, mode, ["1.2.0"], [], Sticky: false) };

        var (summary, fleet) = await RunAsync(stub, options);

        Assert.Equal([.. actions, .. actions], Actions(stub));
        Assert.All(stub.Events, e => Assert.Equal("1.2.0", (string?)e["version_name"]));
        Assert.Equal(["builtin", "builtin"], stub.Checks.Select(c => (string?)c["version_name"]));
        Assert.Equal("builtin", Assert.Single(fleet.Devices).VersionName);
        Assert.Equal(new BundleTally(Offered: 2, Attempts: 2, Installed: 0, Failed: 2), summary.Bundles["1.2.0"]);
    }

    [Fact]
    public async Task Failures_of_other_bundles_do_not_happen_so_a_rollback_to_the_baseline_succeeds()
    {
        // Round 1 offers the bad 1.2.0 (fails), round 2 the baseline 1.0.1 (installs).
        var offers = new Queue<string>(["1.2.0", "1.0.1"]);
        using var stub = new StubDeviceApi(check => offers.Count > 0 ? StubDeviceApi.Offer(offers.Dequeue()) : StubDeviceApi.UpToDate());
        var options = Options(rounds: 3) with { VersionName = "1.0.0", Failures = new FailurePlan(1, FailureMode.Update, ["1.2.0"], [], false) };

        var (summary, fleet) = await RunAsync(stub, options);

        Assert.Equal("1.0.1", Assert.Single(fleet.Devices).VersionName);
        Assert.Equal(new BundleTally(1, 1, 0, 1), summary.Bundles["1.2.0"]);
        // After update_fail the plugin sets its fallback bundle again (1.0.0), then installs the offered baseline.
        Assert.Equal(["download_zip_start", "download_complete", "set", "update_fail", "set", "download_zip_start", "download_complete", "set"], Actions(stub));
        Assert.Equal(("1.0.0", "1.2.0"), ((string?)stub.Events.ElementAt(4)["version_name"], (string?)stub.Events.ElementAt(4)["old_version_name"]));
        Assert.Equal(new BundleTally(1, 1, 1, 0), summary.Bundles["1.0.1"]);
        Assert.Equal(["1.0.0", "1.0.0", "1.0.1"], stub.Checks.Select(c => (string?)c["version_name"]));
    }

    [Fact]
    public async Task A_builtin_answer_resets_the_device_and_reports_reset()
    {
        using var stub = new StubDeviceApi(check => (string?)check["version_name"] == "builtin"
            ? StubDeviceApi.UpToDate()
            : StubDeviceApi.Json("""{"version":"builtin"}"""));

        var (summary, fleet) = await RunAsync(stub, Options(rounds: 2) with { VersionName = "1.1.0" });

        Assert.Equal("builtin", Assert.Single(fleet.Devices).VersionName);
        var reset = Assert.Single(stub.Events);
        Assert.Equal("reset", (string?)reset["action"]);
        Assert.Equal("builtin", (string?)reset["version_name"]);
        Assert.Equal("1.1.0", (string?)reset["old_version_name"]);
        Assert.Equal(1, summary.Installed);
    }

    [Fact]
    public async Task Refusals_are_counted_by_error_code_and_change_nothing()
    {
        using var stub = new StubDeviceApi(_ => StubDeviceApi.Json("""{"error":"no_channel","message":"no default channel or override","kind":"failed"}"""));

        var (summary, fleet) = await RunAsync(stub, Options(devices: 3));

        Assert.Equal(3, summary.Refused);
        Assert.Equal(3, summary.Refusals["no_channel"]);
        Assert.Empty(stub.Events);
        Assert.All(fleet.Devices, d => Assert.Equal("builtin", d.VersionName));
    }

    [Fact]
    public async Task Stats_answered_429_stay_queued_until_retry_after_and_are_sent_again()
    {
        using var stub = new StubDeviceApi(
            StubDeviceApi.Channel("1.2.0"),
            (batch, call) => call == 1
                ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(1)) } }
                : StubDeviceApi.Ok(batch));

        var (summary, fleet) = await RunAsync(stub, Options());

        Assert.Equal(1, summary.RateLimited);
        Assert.Equal(0, summary.PendingStats);
        Assert.Equal(new StatsTally(Accepted: 3, Rejected: 0, Dropped: 0), summary.Stats);
        Assert.Equal(["download_zip_start", "download_complete", "set"], Actions(stub));
        Assert.Equal("1.2.0", Assert.Single(fleet.Devices).VersionName);
    }

    [Fact]
    public async Task An_update_check_answered_429_holds_the_device_back_for_retry_after()
    {
        var calls = 0;
        using var stub = new StubDeviceApi(_ => Interlocked.Increment(ref calls) == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromMinutes(5)) } }
            : StubDeviceApi.UpToDate());

        var (summary, _) = await RunAsync(stub, Options(rounds: 3) with { MaxFinalFlushWait = TimeSpan.Zero });

        Assert.Equal(1, calls);
        Assert.Equal(1, summary.RateLimited);
        Assert.Equal(1, summary.Checks);
        // The plugin ends a failed check with download_fail of the bundle it runs, sent after Retry-After.
        var failure = Assert.Single(stub.Events);
        Assert.Equal(("download_fail", "builtin"), ((string?)failure["action"], (string?)failure["version_name"]));
    }

    [Fact]
    public async Task A_failed_update_check_is_reported_as_a_download_fail_of_the_bundle_the_device_runs()
    {
        using var stub = new StubDeviceApi(_ => StubDeviceApi.Json("""{"error":"internal","message":"boom"}""", HttpStatusCode.InternalServerError));

        var (summary, fleet) = await RunAsync(stub, Options(devices: 2) with { VersionName = "1.0.1" });

        Assert.Equal(["download_fail", "download_fail"], Actions(stub));
        Assert.All(stub.Events, e => Assert.Equal("1.0.1", (string?)e["version_name"]));
        Assert.Equal(new BundleTally(Offered: 0, Attempts: 0, Installed: 0, Failed: 0, CheckFailed: 2), summary.Bundles["1.0.1"]);
        Assert.Equal(2, summary.ErrorReasons["updates: 500 internal"]);
        Assert.All(fleet.Devices, d => Assert.Equal("1.0.1", d.VersionName));
    }

    [Fact]
    public async Task An_offer_without_a_url_fails_like_a_check_and_one_without_a_checksum_fails_its_download()
    {
        using var noUrl = new StubDeviceApi(_ => StubDeviceApi.Json($$"""{"version":"1.2.0","url":"","checksum":"{{new string('a', 64)}}","session_key":""}"""));
        using var noChecksum = new StubDeviceApi(_ => StubDeviceApi.Json("""{"version":"1.2.0","url":"http://cdn.test/b.zip","checksum":"","session_key":""}"""));

        var (withoutUrl, _) = await RunAsync(noUrl, Options());
        var (withoutChecksum, _) = await RunAsync(noChecksum, Options());

        Assert.Equal(["download_fail"], Actions(noUrl));
        Assert.Equal("builtin", (string?)noUrl.Events.Single()["version_name"]);
        Assert.Equal(new BundleTally(1, 0, 0, 0), withoutUrl.Bundles["1.2.0"]);
        Assert.Equal(new BundleTally(0, 0, 0, 0, CheckFailed: 1), withoutUrl.Bundles["builtin"]);
        Assert.Equal(["download_zip_start", "checksum_required", "download_fail"], Actions(noChecksum));
        Assert.Equal("1.2.0", (string?)noChecksum.Events.Last()["version_name"]);
        Assert.Equal(new BundleTally(1, 1, 0, 1), withoutChecksum.Bundles["1.2.0"]);
    }

    [Fact]
    public async Task A_batch_refused_with_a_4xx_is_dropped_as_the_plugin_drops_it()
    {
        using var stub = new StubDeviceApi(
            StubDeviceApi.Channel("1.2.0"),
            (_, _) => StubDeviceApi.Json("""{"error":"invalid_json_body","message":"bad"}""", HttpStatusCode.BadRequest));

        var (summary, _) = await RunAsync(stub, Options());

        Assert.Equal(new StatsTally(0, 0, 3), summary.Stats);
        Assert.Equal(0, summary.PendingStats);
        Assert.Contains(summary.ErrorReasons.Keys, k => k.Contains("invalid_json_body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_stops_the_run_with_a_clear_message()
    {
        static HttpResponseMessage Refused() => throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
        using var stub = new StubDeviceApi(_ => Refused(), (_, _) => Refused());

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(() => RunAsync(stub, Options(devices: 4, rounds: 3)));

        Assert.Contains("Cannot reach the server at http://stub.test/", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, stub.Checks.Count);
    }

    [Fact]
    public async Task An_unknown_app_stops_the_run()
    {
        using var stub = new StubDeviceApi(_ => StubDeviceApi.Json("""{"error":"app_not_found","message":"App com.demo.app is not registered.","kind":"failed"}""", HttpStatusCode.NotFound));

        var error = await Assert.ThrowsAsync<AppNotFoundException>(() => RunAsync(stub, Options()));

        Assert.Contains("com.demo.app", error.Message, StringComparison.Ordinal);
    }
}
