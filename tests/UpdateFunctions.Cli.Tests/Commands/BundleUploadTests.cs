using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using UpdateFunctions.Cli.Bundles;
using UpdateFunctions.Cli.Tests.Support;

namespace UpdateFunctions.Cli.Tests.Commands;

/// <summary>
/// The upload flow against a stub of the management API that also plays the blob endpoint (Put Blob, Put Block,
/// Put Block List): the calls, their order and bodies. The real blob protocol is checked against Azurite in
/// <see cref="Bundles.BlobUploaderAzuriteTests"/>, and the whole flow against LocalHost in the end-to-end test.
/// </summary>
public sealed class BundleUploadTests
{
    private sealed class FakeBundleServer
    {
        private readonly ConcurrentDictionary<string, byte[]> _blocks = new();

        public byte[]? Blob { get; private set; }

        public string? ExistingChecksum { get; init; }

        public async Task RespondAsync(StubRequest request, HttpResponse response, Uri self)
        {
            switch (request.Method, request.Path)
            {
                case ("POST", "/api/v1/apps/com.demo.app/bundles"):
                    var body = JsonNode.Parse(request.Text)!;
                    if (ExistingChecksum is not null && body["sha256"]!.GetValue<string>() == ExistingChecksum)
                    {
                        await StubServer.JsonAsync(response, 200, Bundle(ExistingChecksum, body["size"]!.GetValue<long>()));
                        return;
                    }
                    await StubServer.JsonAsync(response, 201,
                        $$"""{"version":"1.5.0","uploadUrl":"{{self}}blob/staging/1.5.0.zip?sv=2024-11-04&sig=abc","uploadExpiresAt":"2026-01-01T00:15:00Z","state":"pending"}""");
                    return;
                case ("PUT", "/blob/staging/1.5.0.zip"):
                    var query = System.Web.HttpUtility.ParseQueryString(request.Query);
                    if (query["comp"] == "block")
                        _blocks[query["blockid"]!] = request.Body;
                    else if (query["comp"] == "blocklist")
                        Blob = XDocument.Parse(request.Text).Root!.Elements("Latest").SelectMany(id => _blocks[id.Value]).ToArray();
                    else
                        Blob = request.Body;
                    response.StatusCode = 201;
                    return;
                case ("POST", "/api/v1/apps/com.demo.app/bundles/1.5.0/commit"):
                    await StubServer.JsonAsync(response, 200, Bundle(Convert.ToHexStringLower(SHA256.HashData(Blob!)), Blob!.Length));
                    return;
                case ("PUT", "/api/v1/apps/com.demo.app/channels/beta/bundle"):
                    await StubServer.JsonAsync(response, 200, """{"name":"beta","id":2,"bundle":"1.5.0"}""");
                    return;
                default:
                    await StubServer.JsonAsync(response, 404, """{"error":"not_found","message":"no such route in the stub"}""");
                    return;
            }
        }

        private static string Bundle(string checksum, long size) =>
            $$"""{"version":"1.5.0","checksum":"{{checksum}}","size":{{size}},"blobPath":"com.demo.app/{{checksum}}.zip","url":"http://cdn/{{checksum}}.zip","sessionKey":null,"keyId":null,"minUpdateVersion":null,"link":null,"comment":null,"createdAt":"2026-01-01T00:00:00Z"}""";
    }

    private static async Task<(StubServer Server, FakeBundleServer Fake)> StartAsync(string? existingChecksum = null)
    {
        var fake = new FakeBundleServer { ExistingChecksum = existingChecksum };
        StubServer? server = null;
        server = await StubServer.StartAsync((request, response) => fake.RespondAsync(request, response, server!.Url));
        return (server, fake);
    }

    [Fact]
    public async Task Upload_zips_posts_puts_commits_and_points_the_channel_in_that_order()
    {
        using var folder = TempFolder.WebBuild();
        await using var expected = await BundleFile.OpenAsync(folder.Path, CancellationToken.None);
        var (server, fake) = await StartAsync();
        await using var _ = server;
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--channel", "beta",
            "--comment", "first", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(
            ["POST /api/v1/apps/com.demo.app/bundles", "PUT /blob/staging/1.5.0.zip", "POST /api/v1/apps/com.demo.app/bundles/1.5.0/commit", "PUT /api/v1/apps/com.demo.app/channels/beta/bundle"],
            server.Requests.Select(r => $"{r.Method} {r.Path}"));
        var create = JsonNode.Parse(server.Requests.First().Text)!;
        Assert.Equal(("1.5.0", expected.Sha256, expected.Size, "first"),
            (create["version"]!.GetValue<string>(), create["sha256"]!.GetValue<string>(), create["size"]!.GetValue<long>(), create["comment"]!.GetValue<string>()));
        var put = server.Requests.ElementAt(1);
        Assert.Equal("BlockBlob", put.Headers["x-ms-blob-type"]);
        Assert.Null(put.Authorization);
        Assert.Equal(expected.Sha256, Convert.ToHexStringLower(SHA256.HashData(fake.Blob!)));
        Assert.Equal("""{"version":"1.5.0"}""", server.Requests.Last().Text);
        Assert.Contains(expected.Sha256, result.Out, StringComparison.Ordinal);
        Assert.Contains("beta → 1.5.0", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("uploading ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_has_the_bundle_the_channel_and_whether_bytes_were_sent()
    {
        using var folder = TempFolder.WebBuild();
        var (server, _) = await StartAsync();
        await using var _s = server;
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--channel", "beta",
            "--json", "--server", server.Url.ToString(), "--key", "k");

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.True(json["uploaded"]!.GetValue<bool>());
        Assert.Equal(json["sha256"]!.GetValue<string>(), json["bundle"]!["checksum"]!.GetValue<string>());
        Assert.Equal("1.5.0", json["channel"]!["bundle"]!.GetValue<string>());
    }

    [Fact]
    public async Task Re_running_with_the_same_bytes_skips_the_upload_and_the_commit()
    {
        using var folder = TempFolder.WebBuild();
        await using var expected = await BundleFile.OpenAsync(folder.Path, CancellationToken.None);
        var (server, fake) = await StartAsync(existingChecksum: expected.Sha256);
        await using var _ = server;
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(["POST /api/v1/apps/com.demo.app/bundles"], server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Null(fake.Blob);
        Assert.Contains("skipped", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_larger_than_8_MiB_goes_up_in_4_MiB_blocks_and_one_block_list()
    {
        var payload = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);
        using var folder = new TempFolder().Write("index.html", "<html>").Write("assets/big.bin", payload);
        await using var expected = await BundleFile.OpenAsync(folder.Path, CancellationToken.None);
        var (server, fake) = await StartAsync();
        await using var _ = server;
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var puts = server.Requests.Where(r => r.Path == "/blob/staging/1.5.0.zip").ToList();
        Assert.Equal(4, puts.Count);  // 3 blocks (4 + 4 + ~1 MiB) and the block list
        Assert.All(puts.Take(3), p => Assert.Contains("comp=block&blockid=", p.Query, StringComparison.Ordinal));
        Assert.Equal([BlobUploader.BlockSize, BlobUploader.BlockSize], puts.Take(2).Select(p => p.Body.Length));
        Assert.Contains("comp=blocklist", puts[3].Query, StringComparison.Ordinal);
        Assert.Equal(expected.Size, fake.Blob!.Length);
        Assert.Equal(expected.Sha256, Convert.ToHexStringLower(SHA256.HashData(fake.Blob)));
    }

    [Fact]
    public async Task In_a_terminal_the_upload_runs_under_a_progress_bar_on_stderr()
    {
        using var folder = TempFolder.WebBuild();
        var (server, fake) = await StartAsync();
        await using var _ = server;
        using var cli = new CliRun { Interactive = true };

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.NotNull(fake.Blob);
        Assert.Contains("uploading", result.Error, StringComparison.Ordinal);
        Assert.Contains("100%", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_conflict_exits_5_and_nothing_is_uploaded()
    {
        await using var server = await StubServer.StartAsync((_, response) =>
            StubServer.JsonAsync(response, 409, """{"error":"conflict","message":"1.5.0 exists with different bytes"}"""));
        using var folder = TempFolder.WebBuild();
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.5.0", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Conflict, result.ExitCode);
        Assert.Equal("error: 1.5.0 exists with different bytes (conflict)", result.Error.Trim());
        Assert.Single(server.Requests);
    }
}
