using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 3's CLI end-to-end test: a web build folder → <c>updatectl bundle upload --channel beta</c> → a device on
/// channel beta is offered that version, and the zip it downloads has the checksum the CLI computed. LocalHost
/// runs in process on real Azurite storage, seeded with the demo app; management calls go through the factory's
/// client, the zip PUT goes straight to Azurite through the SAS URL, as it would in production.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CliEndToEndTests : IAsyncLifetime
{
    private const string AppId = "com.demo.app";
    private readonly string _bootstrapKey = "uf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    private HttpClient Plain { get; } = new();
    private TestLocalHost? _host;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync(("Management:BootstrapKey", _bootstrapKey));
        _api = _host.Client;
    }

    public async Task DisposeAsync()
    {
        Plain.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private CliRun Cli() => new CliRun { ApiClient = _api, BlobClient = Plain }
        .With("UPDATECTL_SERVER", _api.BaseAddress!.ToString())
        .With("UPDATECTL_KEY", _bootstrapKey);

    [Fact]
    public async Task A_folder_released_with_codepush_release_reaches_a_React_Native_device_holding_a_key_from_codepush_key_create()
    {
        using var folder = new TempFolder()
            .Write("CodePush/index.android.bundle", "console.log('rn 1');")
            .Write("CodePush/assets/logo.png", "png");
        using var cli = Cli();

        var key = await cli.RunAsync("codepush", "key", "create", AppId, "production", "--platform", "android", "--json");
        Assert.True(key.ExitCode == ExitCodes.Ok, $"exit {key.ExitCode}: {key.Error}");
        var created = JsonNode.Parse(key.Out)!;
        var deploymentKey = created["key"]!.GetValue<string>();
        var release = await cli.RunAsync("codepush", "release", AppId, "production", folder.Path, "--target-binary", "1.x",
            "--mandatory", "--description", "first RN release", "--json");
        Assert.True(release.ExitCode == ExitCodes.Ok, $"exit {release.ExitCode}: {release.Error}");
        var released = JsonNode.Parse(release.Out)!;
        Assert.Equal("v1", released["label"]!.GetValue<string>());

        var check = await _api.GetFromJsonAsync<JsonObject>(
            $"/api/v0.1/public/codepush/update_check?deployment_key={deploymentKey}&app_version=1.0.0&client_unique_id=e2e");
        var info = check!["update_info"]!;
        Assert.Equal((true, true, "v1"), (info["is_available"]!.GetValue<bool>(), info["is_mandatory"]!.GetValue<bool>(), info["label"]!.GetValue<string>()));
        Assert.Equal(released["packageHash"]!.GetValue<string>(), info["package_hash"]!.GetValue<string>());

        var listed = await cli.RunAsync("codepush", "releases", AppId, "--channel", "production", "--json");
        Assert.True(Assert.Single(JsonNode.Parse(listed.Out)!.AsArray())!["current"]!.GetValue<bool>());
        var again = await cli.RunAsync("codepush", "release", AppId, "production", folder.Path, "--target-binary", "1.x");
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);

        var rotated = await cli.RunAsync("codepush", "key", "rotate", AppId, created["id"]!.GetValue<string>(), "--json");
        Assert.True(rotated.ExitCode == ExitCodes.Ok, $"exit {rotated.ExitCode}: {rotated.Error}");
        using var stale = await _api.GetAsync($"/api/v0.1/public/codepush/update_check?deployment_key={deploymentKey}&app_version=1.0.0");
        Assert.Equal(404, (int)stale.StatusCode);
    }

    [Fact]
    public async Task A_folder_uploaded_to_beta_is_offered_to_a_beta_device_and_downloads_with_the_checksum_the_cli_computed()
    {
        using var folder = new TempFolder()
            .Write("index.html", "<!doctype html><title>e2e 1.5.0</title><script src=\"js/app.js\"></script>")
            .Write("js/app.js", "console.log('1.5.0');");
        using var cli = Cli();

        var upload = await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.5.0", "--channel", "beta", "--json");

        Assert.True(upload.ExitCode == ExitCodes.Ok, $"exit {upload.ExitCode}: {upload.Error}");
        var result = JsonNode.Parse(upload.Out)!;
        var sha256 = result["sha256"]!.GetValue<string>();
        Assert.True(result["uploaded"]!.GetValue<bool>());
        Assert.Equal(sha256, result["bundle"]!["checksum"]!.GetValue<string>());
        Assert.Equal("1.5.0", result["channel"]!["bundle"]!.GetValue<string>());

        using var check = await _api.PostAsync("/api/updates", JsonContent.Create(JsonNode.Parse("""
            {"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-00000000e2e1","platform":"android",
             "version_name":"1.1.0","version_build":"1.0.0","is_emulator":false,"is_prod":true,"defaultChannel":"beta"}
            """)));
        var offer = (await check.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("1.5.0", offer["version"]?.GetValue<string>());
        Assert.Equal(sha256, offer["checksum"]!.GetValue<string>());

        var url = new Uri(offer["url"]!.GetValue<string>());
        var downloader = url.Authority == _api.BaseAddress!.Authority ? _api : Plain;
        var zip = await downloader.GetByteArrayAsync(url);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(zip)));
    }

    [Fact]
    public async Task Channel_create_and_set_switch_partial_updates_and_bundle_show_reports_the_manifest()
    {
        using var folder = new TempFolder()
            .Write("index.html", "<!doctype html><title>partial 1.7.0</title><script src=\"js/app.js\"></script>")
            .Write("js/app.js", string.Concat(Enumerable.Range(0, 100).Select(i => $"console.log('line {i}');\n")));
        using var cli = Cli();

        var create = await cli.RunAsync("channel", "create", AppId, "partial", "--self-assign", "--disable-auto-update", "none", "--partial-updates");
        var upload = await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.7.0", "--channel", "partial", "--json");
        var show = await cli.RunAsync("bundle", "show", AppId, "1.7.0");
        var off = await cli.RunAsync("channel", "set", AppId, "partial", "--partial-updates", "false", "--json");

        Assert.True(create.ExitCode == ExitCodes.Ok, $"exit {create.ExitCode}: {create.Error}");
        Assert.True(upload.ExitCode == ExitCodes.Ok, $"exit {upload.ExitCode}: {upload.Error}");
        Assert.Contains("2 files", show.Out, StringComparison.Ordinal);
        Assert.False(JsonNode.Parse(off.Out)!["partialUpdates"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_channel_with_partial_updates_offers_the_manifest_of_an_uploaded_folder()
    {
        using var folder = new TempFolder()
            .Write("index.html", "<!doctype html><title>partial 1.8.0</title>")
            .Write("js/app.js", string.Concat(Enumerable.Range(0, 100).Select(i => $"console.log('line {i}');\n")));
        using var cli = Cli();
        await cli.RunAsync("channel", "create", AppId, "partial", "--self-assign", "--disable-auto-update", "none", "--partial-updates");
        await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.8.0", "--channel", "partial");

        using var check = await _api.PostAsync("/api/updates", JsonContent.Create(JsonNode.Parse("""
            {"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-00000000e2e3","platform":"android","plugin_version":"8.3.1",
             "version_name":"1.1.0","version_build":"1.0.0","is_emulator":false,"is_prod":true,"defaultChannel":"partial"}
            """)));
        var offer = (await check.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal("1.8.0", offer["version"]?.GetValue<string>());
        var names = offer["manifest"]!.AsArray().Select(e => e!["file_name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["index.html", "js/app.js.br"], names);
        foreach (var entry in offer["manifest"]!.AsArray())
        {
            var url = new Uri(entry!["download_url"]!.GetValue<string>());
            var bytes = await (url.Authority == _api.BaseAddress!.Authority ? _api : Plain).GetByteArrayAsync(url);
            if (entry["file_name"]!.GetValue<string>().EndsWith(".br", StringComparison.Ordinal))
            {
                await using var decoder = new System.IO.Compression.BrotliStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                await using var plain = new MemoryStream();
                await decoder.CopyToAsync(plain);
                bytes = plain.ToArray();
            }
            Assert.Equal(entry["file_hash"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task Uploading_the_same_folder_again_is_idempotent_and_other_bytes_for_the_version_are_a_conflict()
    {
        using var folder = new TempFolder().Write("index.html", "<title>same</title>");
        using var other = new TempFolder().Write("index.html", "<title>other</title>");
        using var cli = Cli();

        var first = await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.6.0", "--json");
        var again = await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.6.0", "--json");
        var conflict = await cli.RunAsync("bundle", "upload", other.Path, "--app", AppId, "--version", "1.6.0");

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.Error);
        Assert.False(JsonNode.Parse(again.Out)!["uploaded"]!.GetValue<bool>());
        Assert.Equal(JsonNode.Parse(first.Out)!["sha256"]!.GetValue<string>(), JsonNode.Parse(again.Out)!["sha256"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Conflict, conflict.ExitCode);
    }

    [Fact]
    public async Task A_wrong_key_exits_3()
    {
        using var cli = Cli().With("UPDATECTL_KEY", "uf_not_a_key");

        var result = await cli.RunAsync("app", "list");

        Assert.Equal(ExitCodes.Auth, result.ExitCode);
        Assert.Contains("(unauthorized)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_names_a_minted_upload_key_its_role_and_app_without_the_secret()
    {
        using var admin = Cli();
        var minted = JsonNode.Parse((await admin.RunAsync("key", "create", "--name", "ci-upload", "--role", "upload", "--app", AppId, "--json")).Out)!;
        using var cli = Cli().With("UPDATECTL_KEY", minted["key"]!.GetValue<string>());

        var text = await cli.RunAsync("whoami");
        var json = await cli.RunAsync("whoami", "--json");
        var wrong = await Cli().With("UPDATECTL_KEY", "uf_" + new string('A', 43)).RunAsync("whoami");

        Assert.Equal(ExitCodes.Ok, text.ExitCode);
        Assert.Matches(@"role\W+upload\W", text.Out);
        Assert.Matches($@"apps\W+{AppId.Replace(".", @"\.", StringComparison.Ordinal)}", text.Out);
        var me = JsonNode.Parse(json.Out)!;
        Assert.Equal((minted["id"]!.GetValue<string>(), "ci-upload", "upload"), (me["id"]!.GetValue<string>(), me["name"]!.GetValue<string>(), me["role"]!.GetValue<string>()));
        Assert.DoesNotContain(minted["key"]!.GetValue<string>(), json.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Auth, wrong.ExitCode);
    }

    [Fact]
    public async Task Metrics_show_what_devices_reported_through_stats()
    {
        var events = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            events.Add(JsonNode.Parse($$"""
                {"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-00000000e3{{i}}0","platform":"ios",
                 "version_name":"1.1.0","version_build":"1.0.0","is_emulator":false,"is_prod":true,"action":"set"}
                """));
        }
        using (var stats = await _api.PostAsync("/api/stats", JsonContent.Create(events)))
            Assert.True(stats.IsSuccessStatusCode);
        var hub = (LocalHost.Telemetry.InProcessEventHub)_host!.Services.GetService(typeof(LocalHost.Telemetry.InProcessEventHub))!;
        await hub.DrainAsync(CancellationToken.None);
        using var cli = Cli();

        var run = await cli.RunAsync("metrics", AppId, "--group-by", "bundle,platform", "--interval", "total", "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, $"exit {run.ExitCode}: {run.Error}");
        var series = JsonNode.Parse(run.Out)!["series"]!.AsArray();
        var ios = series.Single(s => s!["platform"]!.GetValue<string>() == "ios" && s["bundle"]!.GetValue<string>() == "1.1.0")!;
        Assert.Equal(3, ios["total"]!["installs"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_encrypted_upload_reaches_devices_with_a_session_key_and_decrypts_to_the_checksummed_zip()
    {
        using var folder = new TempFolder().Write("index.html", "<!doctype html><title>encrypted 1.6.0</title>");
        using var keys = new TempFolder();
        using var pair = Core.Crypto.CapgoKeyPair.Create();
        var keyPath = System.IO.Path.Combine(keys.Path, ".capgo_key_v2");
        await File.WriteAllTextAsync(keyPath, pair.PrivateKeyPem);
        using var cli = Cli();

        var upload = await cli.RunAsync("bundle", "upload", folder.Path, "--app", AppId, "--version", "1.6.0", "--channel", "beta", "--encrypt", "--private-key", keyPath, "--json");

        Assert.True(upload.ExitCode == ExitCodes.Ok, $"exit {upload.ExitCode}: {upload.Error}");
        var plainSha256 = JsonNode.Parse(upload.Out)!["plainSha256"]!.GetValue<string>();
        using var check = await _api.PostAsync("/api/updates", JsonContent.Create(JsonNode.Parse("""
            {"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-00000000e2e2","platform":"android",
             "version_name":"1.1.0","version_build":"1.0.0","is_emulator":false,"is_prod":true,"defaultChannel":"beta"}
            """)));
        var offer = (await check.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("1.6.0", offer["version"]?.GetValue<string>());
        var sessionKey = offer["session_key"]!.GetValue<string>();
        var checksum = offer["checksum"]!.GetValue<string>();
        Assert.Contains(":", sessionKey, StringComparison.Ordinal);
        Assert.Equal(512, checksum.Length); // the hex form current plugins verify

        // What the device does: download, decrypt with the app's public key, hash, compare with the decrypted checksum.
        var url = new Uri(offer["url"]!.GetValue<string>());
        var downloader = url.Authority == _api.BaseAddress!.Authority ? _api : Plain;
        await using var download = new MemoryStream(await downloader.GetByteArrayAsync(url));
        using var publicKey = Core.Crypto.CapgoKeyPair.ImportPublicKeyPem(pair.PublicKeyPem);
        await using var decrypted = new MemoryStream();
        var decryptedSha256 = await Core.Crypto.CapgoBundleEncryption.DecryptAsync(download, decrypted, sessionKey, publicKey, CancellationToken.None);
        Assert.Equal(plainSha256, decryptedSha256);
        Assert.True(Core.Crypto.CapgoBundleEncryption.VerifyChecksum(checksum, decryptedSha256, publicKey));
        Assert.Equal((byte)'P', decrypted.ToArray()[0]);
    }

    [Fact]
    public async Task Segments_are_set_from_a_file_listed_explained_and_deleted()
    {
        using var files = new TempFolder()
            .Write("testers.json", """{"match":"any","conditions":[{"customIdIn":["tester-7"]},{"channel":["beta"]}]}""")
            .Write("device.json", """{"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-0000000000d7","platform":"ios","version_name":"1.0.1","version_build":"1.0.0","custom_id":"tester-7"}""")
            .Write("bad.json", """{"conditions":[{"colour":"red"}]}""");
        using var cli = Cli();

        var set = await cli.RunAsync("segment", "set", AppId, "testers", "--file", System.IO.Path.Combine(files.Path, "testers.json"));
        var list = await cli.RunAsync("segment", "list", AppId, "--json");
        var match = await cli.RunAsync("segment", "match", AppId, "testers", "--device-info", System.IO.Path.Combine(files.Path, "device.json"), "--json");
        var bad = await cli.RunAsync("segment", "set", AppId, "broken", "--file", System.IO.Path.Combine(files.Path, "bad.json"));
        var delete = await cli.RunAsync("segment", "delete", AppId, "testers");

        Assert.True(set.ExitCode == ExitCodes.Ok, $"exit {set.ExitCode}: {set.Error}");
        Assert.Contains(JsonNode.Parse(list.Out)!.AsArray(), s => s!["name"]!.GetValue<string>() == "testers");
        var explained = JsonNode.Parse(match.Out)!;
        Assert.True(explained["matched"]!.GetValue<bool>());
        Assert.Equal([true, false], explained["conditions"]!.AsArray().Select(c => c!["holds"]!.GetValue<bool>()));
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("unknown condition 'colour'", bad.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, delete.ExitCode);
    }

    [Fact]
    public async Task A_rollout_is_created_started_shown_with_its_steps_gates_and_history_then_rolled_back()
    {
        using var cli = Cli();

        var created = await cli.RunAsync("rollout", "create", AppId, "--channel", "production", "--target", "1.1.0", "--steps", "10,100",
            "--min-step", "30m", "--max-failure-rate", "2%", "--min-samples", "20", "--window", "all sat 01:00-05:00 UTC", "--id", "rel-110", "--json");
        var again = await cli.RunAsync("rollout", "create", AppId, "--channel", "production", "--target", "2.0.0");
        var started = await cli.RunAsync("rollout", "start", AppId, "rel-110");
        var status = await cli.RunAsync("rollout", "status", AppId, "rel-110");
        var running = await cli.RunAsync("rollout", "list", AppId, "--state", "running", "--json");
        var badPercent = await cli.RunAsync("rollout", "set-percentage", AppId, "rel-110", "0");
        var badWindow = await cli.RunAsync("rollout", "create", AppId, "--channel", "beta", "--target", "2.0.0", "--window", "all someday");
        var rolledBack = await cli.RunAsync("rollout", "rollback", AppId, "rel-110");
        var list = await cli.RunAsync("rollout", "list", AppId);

        Assert.True(created.ExitCode == ExitCodes.Ok, $"exit {created.ExitCode}: {created.Error}");
        Assert.Equal("draft", JsonNode.Parse(created.Out)!["state"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("rollout_active", again.Error, StringComparison.Ordinal);
        Assert.Contains("running at 10%", started.Out + started.Error, StringComparison.Ordinal);
        Assert.True(status.ExitCode == ExitCodes.Ok, $"exit {status.ExitCode}: {status.Error}");
        Assert.Contains("[10%] → 100%", status.Out, StringComparison.Ordinal);
        Assert.Contains("hold ≥ 30m, ≥ 20 attempts per segment, halt over 2%", status.Out, StringComparison.Ordinal);
        Assert.Contains("all: sat 01:00-05:00 UTC", status.Out, StringComparison.Ordinal);
        Assert.Contains("every device of the channel", status.Out, StringComparison.Ordinal);
        Assert.Contains("waiting for samples (0/20)", status.Out, StringComparison.Ordinal);
        Assert.Contains("started", status.Out, StringComparison.Ordinal);
        Assert.Equal("rel-110", Assert.Single(JsonNode.Parse(running.Out)!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Usage, badPercent.ExitCode);
        Assert.Equal(ExitCodes.Usage, badWindow.ExitCode);
        Assert.Contains("rolled_back", rolledBack.Out + rolledBack.Error, StringComparison.Ordinal);
        Assert.Contains("1.0.1 → 1.1.0", list.Out, StringComparison.Ordinal);
    }
}
