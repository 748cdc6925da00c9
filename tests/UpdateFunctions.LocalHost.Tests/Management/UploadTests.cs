using System.Security.Cryptography;
using System.Text.Json.Nodes;
using UpdateFunctions.LocalHost.Tests.Devices;

namespace UpdateFunctions.LocalHost.Tests.Management;

[Collection(ManagementGroup.Name)]
public sealed class UploadTests(ManagementFixture host)
{
    private const string App = "com.demo.app";

    private static string NewVersion() => $"3.{Random.Shared.Next(0, 100000)}.{Random.Shared.Next(0, 100000)}";

    private static byte[] Zip(int seed)
    {
        var bytes = new byte[50_000 + seed];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<Reply> StartAsync(string version, byte[] declared) =>
        await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles", new JsonObject
        {
            ["version"] = version,
            ["size"] = declared.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(declared)),
        });

    private async Task PutAsync(Reply ticket, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ticket.Str("uploadUrl"));
        request.Content = new ByteArrayContent(bytes);
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var response = await host.Plain.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT to the SAS answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task An_uploaded_and_committed_bundle_reaches_a_device_and_downloads_with_its_checksum()
    {
        var version = NewVersion();
        var zip = Zip(1);

        var ticket = await StartAsync(version, zip);
        await PutAsync(ticket, zip);
        var invisible = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/bundles/{version}");
        var commit = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");
        var channel = await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/channels/beta/bundle", new JsonObject { ["version"] = version });
        var (status, offer) = await DeviceRequests.CheckAsync(host.Client, DeviceRequests.Device(
            deviceId: "0c0ffee0-0000-4000-8000-00000000f00d", versionName: "1.1.0", defaultChannel: "beta"));
        var downloaded = await host.Plain.GetByteArrayAsync(offer.Str("url"));
        var listed = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/bundles");

        Assert.Equal(201, ticket.Status);
        Assert.Equal("pending", ticket.Str("state"));
        Assert.Equal((404, "bundle_not_found"), (invisible.Status, invisible.Error));
        Assert.Equal(200, commit.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), commit.Str("checksum"));
        Assert.Equal($"{App}/{commit.Str("checksum")}.zip", commit.Str("blobPath"));
        Assert.Equal(200, channel.Status);
        Assert.Equal(200, status);
        Assert.Equal(version, offer.Str("version"));
        Assert.Equal(offer.Str("checksum"), Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        Assert.Equal(version, listed.Array[0]!["version"]!.GetValue<string>());
        await host.SendAsync(HttpMethod.Put, $"/api/v1/apps/{App}/channels/beta/bundle", new JsonObject { ["version"] = "1.1.0" });
    }

    [Fact]
    public async Task An_upload_in_progress_cannot_be_read_from_the_bundles_container_nor_its_staging_container()
    {
        var version = NewVersion();
        var zip = Zip(3);
        var ticket = await StartAsync(version, zip);
        await PutAsync(ticket, zip);

        var staged = new UriBuilder(ticket.Str("uploadUrl")!) { Query = "" };
        var segments = staged.Path.Split('/', 4); // "", account, container, blob path
        var inBundles = new UriBuilder(staged.Uri) { Path = string.Join('/', segments[0], segments[1], host.BundlesContainer, segments[3]) };
        using var anonymous = await host.Plain.GetAsync(staged.Uri);
        using var fromBundles = await host.Plain.GetAsync(inBundles.Uri);

        Assert.NotEqual(host.BundlesContainer, segments[2]);
        Assert.False(anonymous.IsSuccessStatusCode, $"an anonymous read of the staged upload answered {(int)anonymous.StatusCode}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, fromBundles.StatusCode);
    }

    [Fact]
    public async Task A_corrupted_upload_is_refused_and_nothing_becomes_visible()
    {
        var version = NewVersion();
        var zip = Zip(2);
        var corrupted = zip.ToArray();
        corrupted[100] ^= 0xff;
        var shorter = zip[..^1];

        var ticket = await StartAsync(version, zip);
        await PutAsync(ticket, corrupted);
        var checksum = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");
        var afterChecksum = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/bundles/{version}");
        await PutAsync(ticket, shorter);
        var size = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");
        var nothing = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");
        var listed = await host.SendAsync(HttpMethod.Get, $"/api/v1/apps/{App}/bundles");

        Assert.Equal((400, "checksum_mismatch"), (checksum.Status, checksum.Error));
        Assert.Equal(404, afterChecksum.Status);
        Assert.Equal((400, "size_mismatch"), (size.Status, size.Error));
        Assert.Equal((400, "upload_missing"), (nothing.Status, nothing.Error));
        Assert.DoesNotContain(listed.Array, b => b!["version"]!.GetValue<string>() == version);
    }

    [Fact]
    public async Task Uploading_a_committed_version_again_is_idempotent_with_the_same_bytes_and_409_with_others()
    {
        var version = NewVersion();
        var zip = Zip(3);
        var ticket = await StartAsync(version, zip);
        await PutAsync(ticket, zip);
        var commit = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");

        var same = await StartAsync(version, zip);
        var recommit = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles/{version}/commit");
        var different = await StartAsync(version, Zip(4));
        var badVersion = await host.SendAsync(HttpMethod.Post, $"/api/v1/apps/{App}/bundles", new JsonObject { ["version"] = "v1", ["size"] = 1, ["sha256"] = new string('a', 64) });
        var deleted = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/bundles/{version}");
        var inUse = await host.SendAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/bundles/1.0.1");

        Assert.Equal(200, commit.Status);
        Assert.Equal(200, same.Status);
        Assert.Equal(commit.Str("checksum"), same.Str("checksum"));
        Assert.Equal(200, recommit.Status);
        Assert.Equal((409, "conflict"), (different.Status, different.Error));
        Assert.Equal((400, "invalid_version"), (badVersion.Status, badVersion.Error));
        Assert.Equal(204, deleted.Status);
        Assert.Equal((409, "conflict"), (inUse.Status, inUse.Error));
    }
}
