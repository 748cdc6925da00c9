using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using UpdateFunctions.Testing;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests.Devices;

/// <summary>
/// <c>Storage:SignedUrls:Enabled</c> on LocalHost and Azurite: the bundles container stays private, update answers
/// carry read SAS URLs (the zip's and every manifest file's), and a warm check still makes no storage call.
/// </summary>
public sealed class SignedDownloadUrlTests : IAsyncLifetime
{
    private readonly CountingPolicy _requests = new();
    private readonly string _adminKey = UpdateFunctions.Core.Management.ApiKeySecrets.Mint().Secret;
    /// <summary>A device's HTTP client: no credentials, just the URLs an answer holds.</summary>
    private static readonly HttpClient Anonymous = new();
    private TestLocalHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync([("Storage:SignedUrls:Enabled", "true"), ("Management:BootstrapKey", _adminKey)],
            services => services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.AddPolicy(_requests, HttpPipelinePosition.PerCall))));
        _client = _host.Client;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_offered_zip_downloads_through_its_signed_url_and_not_without_it()
    {
        var (status, offer) = await CheckAsync(_client, Device(versionName: "builtin", versionBuild: "1.0.0"));
        var url = offer.Str("url")!;

        using var signed = await Anonymous.GetAsync(url);
        using var bare = await Anonymous.GetAsync(new Uri(url).GetLeftPart(UriPartial.Path));

        Assert.Equal(200, status);
        Assert.Contains("sig=", url, StringComparison.Ordinal);
        Assert.Contains("sp=r", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(offer.Str("checksum"), Convert.ToHexStringLower(SHA256.HashData(await signed.Content.ReadAsByteArrayAsync())));
        Assert.NotEqual(HttpStatusCode.OK, bare.StatusCode);
    }

    [Fact]
    public async Task The_management_apis_bundle_url_is_signed_too_and_downloads()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/apps/com.demo.app/bundles/1.0.1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _adminKey);
        using var response = await _client.SendAsync(request);
        var bundle = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var url = bundle["url"]!.GetValue<string>();

        using var download = await Anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("sig=", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bundle["checksum"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
    }

    [Fact]
    public async Task Manifest_files_are_signed_too_and_serve_what_the_manifest_says()
    {
        // The demo's next channel has partial updates on (and serves 2.0.0 to native 2.x).
        var (_, offer) = await CheckAsync(_client, Device(versionName: "1.1.0", versionBuild: "2.0.0", defaultChannel: "next"));

        var entries = offer["manifest"]!.AsArray();
        Assert.Equal(3, entries.Count);
        foreach (var entry in entries)
        {
            var url = entry!["download_url"]!.GetValue<string>();
            Assert.Contains("sig=", url, StringComparison.Ordinal);
            var stored = await Anonymous.GetByteArrayAsync(url);
            var bytes = stored;
            if (entry["file_name"]!.GetValue<string>().EndsWith(".br", StringComparison.Ordinal))
            {
                using var decoder = new BrotliStream(new MemoryStream(stored), CompressionMode.Decompress);
                using var output = new MemoryStream();
                await decoder.CopyToAsync(output);
                bytes = output.ToArray();
            }
            Assert.Equal(entry["file_hash"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            using var bare = await Anonymous.GetAsync(new Uri(url).GetLeftPart(UriPartial.Path));
            Assert.NotEqual(HttpStatusCode.OK, bare.StatusCode);
        }
    }

    [Fact]
    public async Task A_warm_update_check_with_signed_urls_makes_no_storage_call()
    {
        var device = Device(versionName: "1.1.0", versionBuild: "2.0.0", defaultChannel: "next");
        var (coldStatus, cold) = await CheckAsync(_client, device);
        var before = _requests.Count;

        for (var i = 0; i < 20; i++)
        {
            device["device_id"] = $"0c0ffee0-0000-4000-8000-{i:D12}";
            var (status, body) = await CheckAsync(_client, device);
            Assert.Equal(200, status);
            Assert.Equal(cold.Str("url"), body.Str("url"));
            Assert.Equal(cold["manifest"]!.ToJsonString(), body["manifest"]!.ToJsonString());
        }

        Assert.Equal(200, coldStatus);
        // The cold check loaded the snapshot and signed its URLs through storage: the counter sees the pipeline.
        Assert.True(before > 0, "the counting policy saw no storage request at all: it is not in the pipeline");
        Assert.Equal(before, _requests.Count);
    }

    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
