using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.LocalHost.Tests.Management;
using UpdateFunctions.Storage;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests.Devices;

/// <summary>
/// Partial updates end to end on LocalHost and Azurite: bundles uploaded and committed through the management API,
/// channels switched with <c>partialUpdates</c>, update checks as the plugin sends them, and every manifest URL fetched
/// and checked the way the plugin checks it. Each test works in an app of its own.
/// </summary>
[Collection(ManagementGroup.Name)]
public sealed class PartialUpdatesTests(ManagementFixture host) : IAsyncLifetime
{
    private readonly string _app = "com.partial.t" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        var created = await host.SendAsync(HttpMethod.Post, "/api/v1/apps", new JsonObject { ["id"] = _app, ["name"] = "Partial", ["defaultChannel"] = "production" });
        Assert.Equal(201, created.Status);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }

    private static string Script(string marker) =>
        string.Concat(Enumerable.Range(0, 200).Select(i => $"export function {marker}{i}(a) {{ return a * {i}; }}\n"));

    private static (string Name, string Content)[] Version(string marker, string vendor) =>
    [
        ("index.html", $"<!doctype html><title>{marker}</title><script type=module src=js/app.js></script>"),
        ("js/app.js", Script(marker)),
        ("js/vendor.js", vendor),
        ("assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ];

    private async Task<Reply> UploadAsync(string version, byte[] zip, string? sessionKey = null)
    {
        var announce = new JsonObject { ["version"] = version, ["size"] = zip.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(zip)) };
        if (sessionKey is not null)
        {
            announce["sessionKey"] = sessionKey;
            announce["deviceChecksum"] = new string('e', 512);
        }
        var ticket = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{_app}/bundles", announce);
        Assert.Equal(201, ticket.Status);
        using var request = new HttpRequestMessage(HttpMethod.Put, ticket.Str("uploadUrl")) { Content = new ByteArrayContent(zip) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var put = await host.Plain.SendAsync(request);
        Assert.True(put.IsSuccessStatusCode);
        var commit = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{_app}/bundles/{version}/commit");
        Assert.Equal(200, commit.Status);
        return commit;
    }

    private Task<Reply> ServeAsync(string version, bool? partialUpdates = null)
    {
        // Versions of every major are offered to the test device (native 1.0.0).
        var body = new JsonObject { ["bundle"] = version, ["disableAutoUpdate"] = "none" };
        if (partialUpdates is { } partial)
            body["partialUpdates"] = partial;
        return host.SendAsync(HttpMethod.Patch, $"/api/v1/apps/{_app}/channels/production", body);
    }

    private async Task<JsonObject> CheckAsync(string pluginVersion = "8.3.1")
    {
        var device = Device(appId: _app, versionName: "builtin", versionBuild: "1.0.0");
        device["plugin_version"] = pluginVersion;
        var (status, body) = await DeviceRequests.CheckAsync(host.Client, device);
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>What the plugin does with one entry: download, brotli-decode a .br name, write it without .br, check the hash.</summary>
    private async Task<(string Path, byte[] Bytes)> DownloadAsync(JsonNode entry)
    {
        var name = entry["file_name"]!.GetValue<string>();
        var stored = await host.Plain.GetByteArrayAsync(entry["download_url"]!.GetValue<string>());
        var brotli = name.EndsWith(".br", StringComparison.Ordinal);
        var bytes = stored;
        if (brotli)
        {
            using var decoder = new BrotliStream(new MemoryStream(stored), CompressionMode.Decompress);
            using var output = new MemoryStream();
            await decoder.CopyToAsync(output);
            bytes = output.ToArray();
        }
        Assert.Equal(entry["file_hash"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return (brotli ? name[..^3] : name, bytes);
    }

    [Fact]
    public async Task A_committed_bundle_reports_the_manifest_of_its_zip()
    {
        var zip = Zip(Version("1.0.0", Script("vendor")));

        var commit = await UploadAsync("1.0.0", zip);
        var read = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{_app}/bundles/1.0.0");

        Assert.Equal("ready", commit.Body!["manifest"]!["status"]!.GetValue<string>());
        Assert.Equal(4, commit.Body["manifest"]!["files"]!.GetValue<int>());
        Assert.Equal(Version("1.0.0", Script("vendor")).Sum(f => (long)Encoding.UTF8.GetByteCount(f.Content)), commit.Body["manifest"]!["size"]!.GetValue<long>());
        Assert.True(commit.Body["manifest"]!["downloadSize"]!.GetValue<long>() < commit.Body["manifest"]!["size"]!.GetValue<long>());
        Assert.Equal(commit.Body.ToJsonString(), read.Body!.ToJsonString());
    }

    [Fact]
    public async Task The_update_answer_carries_the_manifest_only_when_the_channel_enables_partial_updates()
    {
        await UploadAsync("1.0.1", Zip(Version("1.0.1", Script("vendor"))));
        await ServeAsync("1.0.1");

        var off = await CheckAsync();
        var enabled = await ServeAsync("1.0.1", partialUpdates: true);
        var on = await CheckAsync();
        var oldPlugin = await CheckAsync(pluginVersion: "6.24.0");
        await ServeAsync("1.0.1", partialUpdates: false);
        var offAgain = await CheckAsync();

        Assert.Equal(("1.0.1", false), (off.Str("version"), off.ContainsKey("manifest")));
        Assert.True(enabled.Body!["partialUpdates"]!.GetValue<bool>());
        Assert.Equal(4, on["manifest"]!.AsArray().Count);
        Assert.Equal(off.Str("url"), on.Str("url"));
        Assert.Equal(off.Str("checksum"), on.Str("checksum"));
        Assert.False(oldPlugin.ContainsKey("manifest"));
        Assert.False(offAgain.ContainsKey("manifest"));
    }

    [Fact]
    public async Task Every_manifest_download_url_serves_the_file_the_zip_holds()
    {
        var files = Version("2.0.0", Script("vendor"));
        await UploadAsync("2.0.0", Zip(files));
        await ServeAsync("2.0.0", partialUpdates: true);

        var offer = await CheckAsync();
        var assembled = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in offer["manifest"]!.AsArray())
        {
            var (path, bytes) = await DownloadAsync(entry!);
            assembled[path] = bytes;
        }

        Assert.Equal(files.Select(f => f.Name).Order(StringComparer.Ordinal), assembled.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, content) in files)
            Assert.Equal(content, Encoding.UTF8.GetString(assembled[name]));
        Assert.Contains(offer["manifest"]!.AsArray(), e => e!["file_name"]!.GetValue<string>() == "js/app.js.br");
    }

    [Fact]
    public async Task Files_shared_by_two_versions_are_stored_once()
    {
        var vendor = Script("shared-vendor");
        await UploadAsync("3.0.0", Zip(Version("3.0.0", vendor)));
        await UploadAsync("3.0.1", Zip(Version("3.0.1", vendor)));
        await ServeAsync("3.0.1", partialUpdates: true);

        var blobs = host.Services.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.BundlesContainer);
        var names = new List<string>();
        await foreach (var blob in blobs.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{_app}/files/" }))
            names.Add(blob.Name);
        var offer = await CheckAsync();

        // index.html and app.js differ, vendor.js and logo.svg are shared: 2 + 2 + 2 = 6 blobs for 8 files.
        Assert.Equal(6, names.Count);
        Assert.Equal(4, offer["manifest"]!.AsArray().Count);
        Assert.All(offer["manifest"]!.AsArray(), e => Assert.Contains(
            names, n => e!["download_url"]!.GetValue<string>().EndsWith("/" + n, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_encrypted_bundle_has_no_manifest_and_a_partial_channel_refuses_it()
    {
        var encrypted = RandomNumberGenerator.GetBytes(2048);
        var plain = Zip(Version("4.0.0", Script("vendor")));

        var commit = await UploadAsync("4.0.0", encrypted, sessionKey: "aXZpdml2aXZpdml2aXZpdg==:a2V5");
        await UploadAsync("4.0.1", plain);
        await ServeAsync("4.0.1", partialUpdates: true);
        var pointed = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{_app}/channels/production/bundle", new JsonObject { ["version"] = "4.0.0" });
        await ServeAsync("4.0.0", partialUpdates: false);
        var enabled = await ServeAsync("4.0.0", partialUpdates: true);
        var offer = await CheckAsync();

        Assert.Equal(("unavailable", "encrypted_bundle"), (commit.Body!["manifest"]!["status"]!.GetValue<string>(), commit.Body["manifest"]!["reason"]!.GetValue<string>()));
        Assert.Equal((409, "partial_updates_unavailable"), (pointed.Status, pointed.Error));
        Assert.Equal((409, "partial_updates_unavailable"), (enabled.Status, enabled.Error));
        Assert.Contains("encrypted", enabled.Str("message"), StringComparison.Ordinal);
        Assert.Equal("4.0.0", offer.Str("version"));
        Assert.False(offer.ContainsKey("manifest"));
    }

    [Fact]
    public async Task A_bundle_committed_before_manifests_existed_is_served_as_its_zip()
    {
        var zip = Zip(Version("5.0.0", Script("vendor")));
        await UploadAsync("5.0.0", zip);
        // The row as the previous release wrote it: no manifest.
        var catalog = host.Services.GetRequiredService<ICatalogStore>();
        var row = (await catalog.GetBundleAsync(_app, "5.0.0", CancellationToken.None))!;
        await catalog.PutBundleAsync(_app, row.Value with { Manifest = null }, WriteCondition.Matching(row.ETag), CancellationToken.None);
        await ServeAsync("5.0.0", partialUpdates: true);
        var read = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{_app}/bundles/5.0.0");

        var offer = await CheckAsync();

        Assert.Equal("none", read.Body!["manifest"]!["status"]!.GetValue<string>());
        Assert.False(offer.ContainsKey("manifest"));
        Assert.Equal(offer.Str("checksum"), Convert.ToHexStringLower(SHA256.HashData(await host.Plain.GetByteArrayAsync(offer.Str("url")))));
    }

    [Fact]
    public async Task The_manifest_size_call_of_the_plugin_is_not_served()
    {
        // getBundleDownloadSize() posts here; on a 404 the plugin reports the sizes as unknown and carries on.
        using var content = new StringContent("{\"manifest\":[]}", Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync("/api/updates/manifest_size", content);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_zip_with_a_path_a_device_cannot_write_is_committed_and_served_as_a_zip()
    {
        var commit = await UploadAsync("6.0.0", Zip(("index.html", "<p>x</p>"), ("../escape.js", "alert(1)")));
        await ServeAsync("6.0.0", partialUpdates: true);

        var offer = await CheckAsync();

        Assert.Equal(("unavailable", "unsafe_path"), (commit.Body!["manifest"]!["status"]!.GetValue<string>(), commit.Body["manifest"]!["reason"]!.GetValue<string>()));
        Assert.Equal("6.0.0", offer.Str("version"));
        Assert.False(offer.ContainsKey("manifest"));
    }
}
