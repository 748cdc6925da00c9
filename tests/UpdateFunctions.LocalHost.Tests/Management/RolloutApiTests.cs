using System.Text.Json.Nodes;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.LocalHost.Tests.Devices;

namespace UpdateFunctions.LocalHost.Tests.Management;

/// <summary>Rollouts through the management API and the update check, on LocalHost over Azurite.</summary>
[Collection(ManagementGroup.Name)]
public sealed class RolloutApiTests(ManagementFixture host)
{
    private const string App = "/api/v1/apps/com.demo.app";

    /// <summary>A channel of the test's own (devices may pick it), serving 1.0.1: rollouts here touch nobody else's.</summary>
    private async Task<string> NewChannelAsync(string bundle = "1.0.1")
    {
        var name = "ro-" + Guid.NewGuid().ToString("N")[..8];
        var created = await host.SendAsync(HttpMethod.Post, $"{App}/channels",
            new JsonObject { ["name"] = name, ["bundle"] = bundle, ["allowDeviceSelfSet"] = true });
        Assert.Equal(201, created.Status);
        return name;
    }

    private Task<Reply> CreateAsync(string channel, string target = "1.1.0", JsonObject? extra = null)
    {
        var body = new JsonObject { ["channel"] = channel, ["target"] = target };
        foreach (var (name, value) in extra ?? [])
            body[name] = value?.DeepClone();
        return host.SendAsync(HttpMethod.Post, $"{App}/rollouts", body);
    }

    private Task<Reply> ActAsync(string id, string action, string? ifMatch = null) =>
        host.SendAsync(HttpMethod.Post, $"{App}/rollouts/{id}/{action}", ifMatch: ifMatch);

    private async Task<string?> OfferedAsync(string channel, string deviceId, string versionName = "1.0.1")
    {
        var (status, body) = await DeviceRequests.CheckAsync(host.Client,
            DeviceRequests.Device(deviceId: deviceId, versionName: versionName, defaultChannel: channel));
        Assert.Equal(200, status);
        return body["version"]?.GetValue<string>();
    }

    private static string DeviceId(int i) => $"0c0ffee0-0000-4000-8000-{i:x12}";

    [Fact]
    public async Task A_rollout_is_created_as_a_draft_started_paused_resumed_widened_and_completed()
    {
        var channel = await NewChannelAsync();

        var created = await CreateAsync(channel, extra: new JsonObject { ["steps"] = new JsonArray(10, 50, 100), ["id"] = "rel-" + channel });
        var id = created.Str("id")!;
        var started = await ActAsync(id, "start", ifMatch: created.ETag);
        var paused = await ActAsync(id, "pause");
        var resumed = await ActAsync(id, "resume");
        var advanced = await ActAsync(id, "advance");
        var set = await host.SendAsync(HttpMethod.Put, $"{App}/rollouts/{id}/percentage", new JsonObject { ["percent"] = 75 });
        var completed = await ActAsync(id, "complete");
        var channelAfter = await host.SendAsync(HttpMethod.Get, $"{App}/channels/{channel}");
        var read = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts/{id}");

        Assert.Equal((201, "draft", "1.0.1", "1.1.0"), (created.Status, created.Str("state"), created.Str("baselineBundle"), created.Str("targetBundle")));
        Assert.NotNull(created.ETag);
        Assert.Equal((200, "running", 10), (started.Status, started.Str("state"), started.Body!["percent"]!.GetValue<int>()));
        Assert.Equal("paused", paused.Str("state"));
        Assert.Equal("running", resumed.Str("state"));
        Assert.Equal(50, advanced.Body!["percent"]!.GetValue<int>());
        Assert.Equal(75, set.Body!["percent"]!.GetValue<int>());
        Assert.Equal(("completed", 100), (completed.Str("state"), completed.Body!["percent"]!.GetValue<int>()));
        // A completion for everyone hands the channel over: it serves the target and is free for the next rollout.
        Assert.Equal("1.1.0", channelAfter.Str("bundle"));
        Assert.Null(channelAfter.Body!["activeRollout"]);
        Assert.Equal(["started", "paused", "resumed", "advanced by hand", "percentage set to 75%", "completed by hand"],
            read.Body!["history"]!.AsArray().Select(h => h!["detail"]!.GetValue<string>()));
        Assert.All(read.Body["history"]!.AsArray(), h => Assert.Equal("bootstrap", h!["by"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Devices_in_the_percentage_get_the_target_and_the_others_the_baseline_then_everyone_gets_the_baseline_after_a_rollback()
    {
        var channel = await NewChannelAsync();
        var created = await CreateAsync(channel, extra: new JsonObject { ["start"] = true, ["steps"] = new JsonArray(30, 100) });
        var id = created.Str("id")!;
        var salt = created.Str("salt")!;

        var offers = new Dictionary<int, string?>();
        for (var i = 0; i < 40; i++)
            offers[i] = await OfferedAsync(channel, DeviceId(i));
        var rolledBack = await ActAsync(id, "rollback");
        var afterRollback = new List<string?>();
        for (var i = 0; i < 40; i++)
            afterRollback.Add(await OfferedAsync(channel, DeviceId(i), versionName: "1.1.0"));

        Assert.Equal("running", created.Str("state"));
        for (var i = 0; i < 40; i++)
        {
            // Bucketing is the Core function of (salt, device id): the HTTP answer agrees with it for every device.
            var expected = RolloutBucket.IsIn(salt, DeviceId(i), 30) ? "1.1.0" : null;
            Assert.Equal(expected, offers[i]);
        }
        Assert.Contains(offers.Values, v => v == "1.1.0");
        Assert.Contains(offers.Values, v => v is null);
        Assert.Equal("rolled_back", rolledBack.Str("state"));
        // A device on the target is sent back to the baseline (a downgrade offer).
        Assert.All(afterRollback, v => Assert.Equal("1.0.1", v));
    }

    [Fact]
    public async Task One_draft_running_or_paused_rollout_holds_a_channel_and_blocks_its_bundle()
    {
        var channel = await NewChannelAsync();
        var first = await CreateAsync(channel);
        var second = await CreateAsync(channel, target: "2.0.0");
        var setBundle = await host.SendAsync(HttpMethod.Put, $"{App}/channels/{channel}/bundle", new JsonObject { ["version"] = "2.0.0" });
        var patchBundle = await host.SendAsync(HttpMethod.Patch, $"{App}/channels/{channel}", new JsonObject { ["bundle"] = "2.0.0" });
        var patchOther = await host.SendAsync(HttpMethod.Patch, $"{App}/channels/{channel}", new JsonObject { ["ios"] = false });
        var deleteChannel = await host.SendAsync(HttpMethod.Delete, $"{App}/channels/{channel}");
        var deleteTarget = await host.SendAsync(HttpMethod.Delete, $"{App}/bundles/1.1.0");

        var deleteDraft = await host.SendAsync(HttpMethod.Delete, $"{App}/rollouts/{first.Str("id")}");
        var afterDelete = await CreateAsync(channel, target: "2.0.0");

        Assert.Equal(201, first.Status);
        Assert.Equal((409, "rollout_active"), (second.Status, second.Error));
        Assert.Contains(first.Str("id")!, second.Str("message"), StringComparison.Ordinal);
        Assert.Equal((409, "rollout_active"), (setBundle.Status, setBundle.Error));
        Assert.Equal((409, "rollout_active"), (patchBundle.Status, patchBundle.Error));
        Assert.Equal(200, patchOther.Status);
        Assert.Equal((409, "rollout_active"), (deleteChannel.Status, deleteChannel.Error));
        Assert.Equal(409, deleteTarget.Status);
        Assert.Equal(204, deleteDraft.Status);
        Assert.Equal(201, afterDelete.Status);
    }

    [Fact]
    public async Task Concurrent_creates_on_one_channel_let_exactly_one_through()
    {
        for (var round = 0; round < 3; round++)
        {
            var channel = await NewChannelAsync();
            var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => CreateAsync(channel, target: i % 2 == 0 ? "1.1.0" : "2.0.0")));

            Assert.Single(replies, r => r.Status == 201);
            Assert.All(replies.Where(r => r.Status != 201), r => Assert.Equal((409, "rollout_active"), (r.Status, r.Error)));
            var channelRow = await host.SendAsync(HttpMethod.Get, $"{App}/channels/{channel}");
            Assert.Equal(replies.Single(r => r.Status == 201).Str("id"), channelRow.Str("activeRollout"));
        }
    }

    [Fact]
    public async Task Actions_are_guarded_by_the_etag_and_the_state_machine()
    {
        var channel = await NewChannelAsync();
        var created = await CreateAsync(channel);
        var id = created.Str("id")!;

        var pauseDraft = await ActAsync(id, "pause");
        var staleStart = await ActAsync(id, "start", ifMatch: "\"stale\"");
        var start = await ActAsync(id, "start", ifMatch: created.ETag);
        var replayed = await ActAsync(id, "start", ifMatch: created.ETag);
        var percentZero = await host.SendAsync(HttpMethod.Put, $"{App}/rollouts/{id}/percentage", new JsonObject { ["percent"] = 0 });
        var unknown = await ActAsync(id, "explode");
        var deleteRunning = await host.SendAsync(HttpMethod.Delete, $"{App}/rollouts/{id}");
        var badId = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts/Bad%20Id");
        var missing = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts/r-ffffffff");

        Assert.Equal((409, "invalid_transition"), (pauseDraft.Status, pauseDraft.Error));
        Assert.Equal((412, "precondition_failed"), (staleStart.Status, staleStart.Error));
        Assert.Equal(200, start.Status);
        Assert.NotEqual(created.ETag, start.ETag);
        Assert.Equal(412, replayed.Status);
        Assert.Equal((400, "invalid_percentage"), (percentZero.Status, percentZero.Error));
        Assert.Equal(404, unknown.Status);
        Assert.Equal((409, "invalid_transition"), (deleteRunning.Status, deleteRunning.Error));
        Assert.Equal((400, "invalid_id"), (badId.Status, badId.Error));
        Assert.Equal((404, "rollout_not_found"), (missing.Status, missing.Error));
    }

    [Theory]
    [InlineData("""{"target":"1.1.0"}""", 400, "invalid_id")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1"}""", 400, "invalid_version")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","steps":[5,1,100]}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","steps":[1,50]}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","gates":{"minStepDuration":"soon"}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","gates":{"maxFailureRate":5}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","gates":{"minSamples":"fifty"}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","segments":["enterprise"],"windows":{"beta-testers":{"days":["sat"],"start":"01:00","end":"05:00","timeZone":"Europe/Paris"}}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","segments":["enterprise"],"windows":{"enterprise":{"days":["sat"],"start":"01:00","end":"05:00","timeZone":"Mars/Olympus"}}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","segments":["enterprise"],"windows":{"enterprise":{"days":["someday"],"start":"01:00","end":"05:00","timeZone":"UTC"}}}""", 400, "invalid_body")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","segments":["no-such-segment"]}""", 404, "segment_not_found")]
    [InlineData("""{"channel":"no-such-channel","target":"1.1.0"}""", 404, "channel_not_found")]
    [InlineData("""{"channel":"CHANNEL","target":"9.9.9"}""", 404, "bundle_not_found")]
    [InlineData("""{"channel":"CHANNEL","target":"1.0.1"}""", 409, "conflict")]
    [InlineData("""{"channel":"CHANNEL","target":"1.1.0","speed":"fast"}""", 400, "invalid_body")]
    public async Task Bad_rollouts_are_refused_with_a_code_and_leave_the_channel_free(string body, int status, string error)
    {
        var channel = await NewChannelAsync();

        var reply = await host.SendRawAsync(HttpMethod.Post, $"{App}/rollouts", body.Replace("CHANNEL", channel, StringComparison.Ordinal), host.BootstrapKey);
        var good = await CreateAsync(channel);

        Assert.Equal((status, error), (reply.Status, reply.Error));
        Assert.False(string.IsNullOrWhiteSpace(reply.Str("message")));
        Assert.Equal(201, good.Status);
    }

    [Fact]
    public async Task A_rollout_with_segments_windows_and_gates_is_stored_as_asked_and_listed_by_channel_and_state()
    {
        var channel = await NewChannelAsync();
        var created = await CreateAsync(channel, extra: JsonNode.Parse("""
            {"segments":["enterprise","ios-modern"],"steps":[5,20,100],
             "gates":{"minStepDuration":"30m","minSamples":20,"maxFailureRate":0.02,"compareWithBaseline":false},
             "windows":{"enterprise":{"days":["sat","Sunday"],"start":"01:00","end":"05:00","timeZone":"Europe/Paris"}}}
            """)!.AsObject());

        var listed = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts?channel={channel}");
        var drafts = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts?channel={channel}&state=draft");
        var running = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts?channel={channel}&state=running");
        var badState = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts?state=sleeping");

        Assert.Equal(201, created.Status);
        Assert.Equal(["enterprise", "ios-modern"], created.Body!["segments"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("00:30:00", created.Body["gates"]!["minStepDuration"]!.GetValue<string>());
        Assert.Equal(20, created.Body["gates"]!["minSamples"]!.GetValue<long>());
        Assert.False(created.Body["gates"]!["compareWithBaseline"]!.GetValue<bool>());
        Assert.Equal("Europe/Paris", created.Body["windows"]!["enterprise"]!["timeZoneId"]!.GetValue<string>());
        Assert.Equal(created.Str("id"), Assert.Single(listed.Array)!["id"]!.GetValue<string>());
        Assert.Single(drafts.Array);
        Assert.Empty(running.Array);
        Assert.Equal((400, "invalid_body"), (badState.Status, badState.Error));
    }

    [Fact]
    public async Task The_status_shows_each_gated_segments_health_and_what_the_timer_would_decide()
    {
        var channel = await NewChannelAsync();
        var created = await CreateAsync(channel, extra: JsonNode.Parse("""{"start":true,"steps":[100],"gates":{"minStepDuration":"0s","minSamples":3}}""")!.AsObject());
        var id = created.Str("id")!;
        for (var i = 0; i < 4; i++)
        {
            await PostStatsAsync(channel, 1000 + i, i == 0 ? ["download_zip_start", "download_fail"] : ["set"], sameDevice: true);
        }

        var status1 = await WaitForAsync(async () =>
        {
            var read = await host.SendAsync(HttpMethod.Get, $"{App}/rollouts/{id}");
            return read.Body!["status"]!["health"]!.AsArray().FirstOrDefault()?["targetAttempts"]?.GetValue<long>() >= 4 ? read : null;
        });

        var health = Assert.Single(status1.Body!["status"]!["health"]!.AsArray())!;
        Assert.Equal("all", health["segment"]!.GetValue<string>());
        Assert.Equal(4, health["targetAttempts"]!.GetValue<long>());
        Assert.Equal(1, health["targetFailures"]!.GetValue<long>());
        // 1 of 4 is over the 5 % gate with the 3 samples asked: the timer would halt.
        Assert.Equal("halt", status1.Body["status"]!["preview"]!["kind"]!.GetValue<string>());
        Assert.Equal("gate_breached", status1.Body["status"]!["preview"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_rollout_of_a_halted_bundle_is_not_judged_on_the_failures_of_the_one_before_in_the_same_hour()
    {
        var channel = await NewChannelAsync();
        var body = JsonNode.Parse("""{"start":true,"steps":[100],"gates":{"minStepDuration":"1h","minSamples":3}}""")!.AsObject();
        var first = (await CreateAsync(channel, extra: body)).Str("id")!;
        // Two devices whose downloads failed (each started one: a download_fail without a start is a failed check), one install.
        await PostStatsAsync(channel, 2000, ["download_zip_start", "download_fail"], sameDevice: true);
        await PostStatsAsync(channel, 2001, ["download_zip_start", "download_fail"], sameDevice: true);
        await PostStatsAsync(channel, 2002, ["set"]);
        await WaitForAsync(async () => await HealthAsync(first) is { } h && h["targetAttempts"]!.GetValue<long>() >= 3 ? new Reply(200, h, null, null) : null);
        Assert.Equal(200, (await ActAsync(first, "rollback")).Status);

        var second = (await CreateAsync(channel, extra: body)).Str("id")!;
        var fresh = await HealthAsync(second);
        await PostStatsAsync(channel, 3000, ["set"]);
        var afterOne = await WaitForAsync(async () => await HealthAsync(second) is { } h && h["targetAttempts"]!.GetValue<long>() >= 1 ? new Reply(200, h, null, null) : null);

        Assert.Equal((0L, 0L), (fresh!["targetAttempts"]!.GetValue<long>(), fresh["targetFailures"]!.GetValue<long>()));
        Assert.Equal((1L, 0L), (afterOne.Body!["targetAttempts"]!.GetValue<long>(), afterOne.Body["targetFailures"]!.GetValue<long>()));
    }

    private async Task<JsonNode?> HealthAsync(string id) =>
        (await host.SendAsync(HttpMethod.Get, $"{App}/rollouts/{id}")).Body!["status"]!["health"]!.AsArray().FirstOrDefault()?.DeepClone();

    /// <summary>One event per device from <paramref name="firstDevice"/> on, or every event from that one device.</summary>
    private async Task PostStatsAsync(string channel, int firstDevice, string[] actions, bool sameDevice = false)
    {
        for (var i = 0; i < actions.Length; i++)
        {
            var device = DeviceRequests.Device(deviceId: DeviceId(firstDevice + (sameDevice ? 0 : i)), versionName: "1.1.0", defaultChannel: channel);
            device["action"] = actions[i];
            var (status, _) = await DeviceRequests.SendAsync(host.Client, HttpMethod.Post, "/api/stats", device);
            Assert.Equal(200, status);
        }
    }

    [Fact]
    public async Task A_segment_in_a_running_rollout_cannot_be_deleted_but_can_once_it_halted()
    {
        var channel = await NewChannelAsync();
        var segment = "seg-" + channel;
        Assert.Equal(201, (await host.SendAsync(HttpMethod.Put, $"{App}/segments/{segment}", JsonNode.Parse("""{"conditions":[{"platform":["ios"]}]}"""))).Status);
        var created = await CreateAsync(channel, extra: new JsonObject { ["segments"] = new JsonArray(segment), ["start"] = true });

        var refused = await host.SendAsync(HttpMethod.Delete, $"{App}/segments/{segment}");
        var halted = await ActAsync(created.Str("id")!, "halt");
        var afterHalt = await host.SendAsync(HttpMethod.Delete, $"{App}/segments/{segment}");
        var rolledBack = await ActAsync(created.Str("id")!, "rollback");

        Assert.Equal(409, refused.Status);
        Assert.Contains(created.Str("id")!, refused.Str("message"), StringComparison.Ordinal);
        Assert.Equal("halted", halted.Str("state"));
        // A halted rollout sends everyone to the baseline: its cohort no longer matters.
        Assert.Equal(204, afterHalt.Status);
        Assert.Equal("rolled_back", rolledBack.Str("state"));
    }

    private static async Task<Reply> WaitForAsync(Func<Task<Reply?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await probe() is { } reply)
                return reply;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The rollout status never showed the posted stats.");
            await Task.Delay(100);
        }
    }
}
