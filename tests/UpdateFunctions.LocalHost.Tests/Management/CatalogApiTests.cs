using System.Text.Json.Nodes;

namespace UpdateFunctions.LocalHost.Tests.Management;

[Collection(ManagementGroup.Name)]
public sealed class CatalogApiTests(ManagementFixture host)
{
    private static string NewAppId() => "com.test.a" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> CreateAppAsync(string? defaultChannel = "production")
    {
        var id = NewAppId();
        var body = new JsonObject { ["id"] = id, ["name"] = "Test" };
        if (defaultChannel is not null)
            body["defaultChannel"] = defaultChannel;
        var reply = await host.SendAsync(HttpMethod.Post, "/api/v1/apps", body);
        Assert.Equal(201, reply.Status);
        return id;
    }

    [Fact]
    public async Task An_app_is_created_with_its_default_channel_and_can_be_read_listed_and_patched()
    {
        var id = await CreateAppAsync();

        var get = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{id}");
        var channels = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{id}/channels");
        var list = await host.SendAsync(HttpMethod.Get, "/api/v1/apps");
        var patched = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}", new JsonObject { ["name"] = "Renamed" }, ifMatch: get.ETag);
        var again = await host.SendAsync(HttpMethod.Post, "/api/v1/apps", new JsonObject { ["id"] = id, ["name"] = "X" });

        Assert.Equal(200, get.Status);
        Assert.NotNull(get.ETag);
        Assert.Equal("production", get.Str("defaultChannel"));
        Assert.NotNull(get.Str("createdAt"));
        var channel = Assert.Single(channels.Array);
        Assert.Equal("production", channel!["name"]!.GetValue<string>());
        Assert.True(channel["public"]!.GetValue<bool>());
        Assert.Null(channel["bundle"]);
        Assert.Contains(list.Array, a => a!["id"]!.GetValue<string>() == id);
        Assert.Equal(200, patched.Status);
        Assert.Equal("Renamed", patched.Str("name"));
        Assert.Equal(409, again.Status);
        Assert.Equal("conflict", again.Error);
    }

    [Fact]
    public async Task Bad_input_is_a_400_with_a_stable_code_never_a_500()
    {
        var id = await CreateAppAsync();

        var badId = await host.SendAsync(HttpMethod.Post, "/api/v1/apps", new JsonObject { ["id"] = "no dots", ["name"] = "X" });
        var typo = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}", new JsonObject { ["nmae"] = "X" });
        var wrongType = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["ios"] = "yes" });
        var notJson = await host.SendRawAsync(HttpMethod.Patch, $"/api/v1/apps/{id}", "{nope", host.BootstrapKey);
        var tooLarge = await host.SendRawAsync(HttpMethod.Post, "/api/v1/apps", "{\"name\":\"" + new string('x', 300 * 1024) + "\"}", host.BootstrapKey);
        var badRoute = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/bad'app");
        var badVersion = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{id}/channels/production/bundle", new JsonObject { ["version"] = "1.0" });
        var missingDefault = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}", new JsonObject { ["defaultChannel"] = "nope" });
        var missingApp = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/com.nobody.here");

        Assert.Equal((400, "invalid_id"), (badId.Status, badId.Error));
        Assert.Equal((400, "invalid_body"), (typo.Status, typo.Error));
        Assert.Equal((400, "invalid_body"), (wrongType.Status, wrongType.Error));
        Assert.Equal((400, "invalid_json"), (notJson.Status, notJson.Error));
        Assert.Equal(400, tooLarge.Status);
        Assert.Equal((400, "invalid_id"), (badRoute.Status, badRoute.Error));
        Assert.Equal((400, "invalid_version"), (badVersion.Status, badVersion.Error));
        Assert.Equal((404, "channel_not_found"), (missingDefault.Status, missingDefault.Error));
        Assert.Equal((404, "app_not_found"), (missingApp.Status, missingApp.Error));
    }

    [Fact]
    public async Task Channels_are_created_with_seed_defaults_patched_pointed_at_a_bundle_and_deleted()
    {
        const string App = "com.demo.app";
        var name = "c" + Guid.NewGuid().ToString("N")[..8];

        var created = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/channels", new JsonObject { ["name"] = name, ["ios"] = false });
        var patched = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{App}/channels/{name}", new JsonObject { ["disableAutoUpdate"] = "minor", ["allowDeviceSelfSet"] = true });
        var pointed = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/channels/{name}/bundle", new JsonObject { ["version"] = "1.1.0" });
        var missingBundle = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/channels/{name}/bundle", new JsonObject { ["version"] = "9.9.9" });
        var builtin = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/channels/{name}/bundle", new JsonObject { ["version"] = "builtin" });
        var duplicate = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/channels", new JsonObject { ["name"] = name });
        var deleted = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/channels/{name}");
        var gone = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/channels/{name}");

        Assert.Equal(201, created.Status);
        Assert.False(created.Body!["ios"]!.GetValue<bool>());
        Assert.True(created.Body["android"]!.GetValue<bool>());
        Assert.Equal("major", created.Str("disableAutoUpdate"));
        Assert.False(created.Body["public"]!.GetValue<bool>());
        Assert.Equal("minor", patched.Str("disableAutoUpdate"));
        Assert.True(patched.Body!["allowDeviceSelfSet"]!.GetValue<bool>());
        Assert.False(patched.Body["ios"]!.GetValue<bool>());
        Assert.Equal("1.1.0", pointed.Str("bundle"));
        Assert.Equal((404, "bundle_not_found"), (missingBundle.Status, missingBundle.Error));
        Assert.Equal("builtin", builtin.Str("bundle"));
        Assert.Equal(409, duplicate.Status);
        Assert.Equal(204, deleted.Status);
        Assert.Equal((404, "channel_not_found"), (gone.Status, gone.Error));
    }

    [Fact]
    public async Task A_channel_in_use_as_default_or_by_a_device_override_cannot_be_deleted()
    {
        var id = await CreateAppAsync();
        await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{id}/channels", new JsonObject { ["name"] = "beta" });
        var device = "0c0ffee0-0000-4000-8000-00000000dead";
        var put = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{id}/devices/{device}", new JsonObject { ["channel"] = "beta" });

        var deleteDefault = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{id}/channels/production");
        var deleteOverridden = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{id}/channels/beta");
        var unset = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{id}/devices/{device}");
        var deleteFree = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{id}/channels/beta");

        Assert.Equal(200, put.Status);
        Assert.Equal((409, "conflict"), (deleteDefault.Status, deleteDefault.Error));
        Assert.Equal((409, "conflict"), (deleteOverridden.Status, deleteOverridden.Error));
        Assert.Equal(204, unset.Status);
        Assert.Equal(204, deleteFree.Status);
    }

    [Fact]
    public async Task A_device_override_sets_the_effective_channel_and_its_removal_falls_back_to_the_public_default()
    {
        const string App = "com.demo.app";
        var device = "0c0ffee0-0000-4000-8000-" + Random.Shared.NextInt64(0, 999_999_999_999).ToString("D12");

        var before = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/devices/{device}?platform=ios");
        var put = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/devices/{device}", new JsonObject { ["channel"] = "beta", ["bundle"] = "1.0.1" });
        var during = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/devices/{device}");
        var unknownChannel = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/devices/{device}", new JsonObject { ["channel"] = "nope" });
        var deleted = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/devices/{device}");
        var after = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/devices/{device}");
        var deletedAgain = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/devices/{device}");

        Assert.Equal(("production", "public_default"), (before.Str("effectiveChannel"), before.Str("reason")));
        Assert.Equal(200, put.Status);
        Assert.Equal(("beta", "1.0.1"), (put.Str("channel"), put.Str("bundle")));
        Assert.Equal(("beta", "admin_override"), (during.Str("effectiveChannel"), during.Str("reason")));
        Assert.Equal((404, "channel_not_found"), (unknownChannel.Status, unknownChannel.Error));
        Assert.Equal(204, deleted.Status);
        Assert.Equal(("production", "public_default"), (after.Str("effectiveChannel"), after.Str("reason")));
        Assert.Equal((404, "device_not_found"), (deletedAgain.Status, deletedAgain.Error));
    }

    [Fact]
    public async Task A_stale_if_match_is_a_412_and_concurrent_patches_lose_no_update()
    {
        var id = await CreateAppAsync();
        var read = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{id}/channels/production");
        await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["ios"] = false }, ifMatch: read.ETag);

        var stale = await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["android"] = false }, ifMatch: read.ETag);
        var concurrent = await Task.WhenAll(
            host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["electron"] = false }),
            host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["allowEmulator"] = false }),
            host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["allowDev"] = false }));
        var final = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{id}/channels/production");

        Assert.Equal((412, "precondition_failed"), (stale.Status, stale.Error));
        Assert.All(concurrent, r => Assert.Equal(200, r.Status));
        Assert.False(final.Body!["ios"]!.GetValue<bool>());
        Assert.True(final.Body["android"]!.GetValue<bool>());
        Assert.False(final.Body["electron"]!.GetValue<bool>());
        Assert.False(final.Body["allowEmulator"]!.GetValue<bool>());
        Assert.False(final.Body["allowDev"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_change_is_audited_with_before_and_after_newest_first()
    {
        var id = await CreateAppAsync();
        await host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{id}/channels/production", new JsonObject { ["ios"] = false });

        var audit = await host.SendAsync(HttpMethod.Get, $"/api/v1/audit?app={id}&top=10");
        var global = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?top=1");

        Assert.Equal(200, audit.Status);
        var actions = audit.Array.Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Equal(["channel.update", "channel.create", "app.create"], actions);
        var update = audit.Array[0]!;
        Assert.True(update["before"]!["ios"]!.GetValue<bool>());
        Assert.False(update["after"]!["ios"]!.GetValue<bool>());
        Assert.Equal("bootstrap", update["keyId"]!.GetValue<string>());
        Assert.Equal($"apps/{id}/channels/production", update["resource"]!.GetValue<string>());
        Assert.Null(audit.Array[2]!["before"]);
        Assert.Single(global.Array);
    }
}
