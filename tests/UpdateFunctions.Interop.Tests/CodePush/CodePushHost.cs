using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Interop.Tests.CodePush;

/// <summary>
/// LocalHost on a real loopback port (Node must reach it), on Azurite under unique names, with a known admin key:
/// each test makes an app of its own through the management API, uploads bundles, releases them and mints
/// deployment keys, exactly as <c>updatectl</c> would. The rollout timer is pushed out of the way and ticked by hand.
/// </summary>
public sealed class CodePushHost : IAsyncLifetime
{
    private TestLocalHost _host = null!;
    private int _apps;

    public string BootstrapKey { get; } = ApiKeySecrets.Mint().Secret;

    public HttpClient Client => _host.Client;

    /// <summary>What an app sets as <c>CodePushServerURL</c>.</summary>
    public Uri ServerUrl { get; private set; } = null!;

    public AcquisitionClient Devices { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public async Task InitializeAsync()
    {
        AcquisitionClient.EnsureInstalled();
        _host = await TestLocalHost.StartOnKestrelAsync(
            ("Management:BootstrapKey", BootstrapKey),
            ("ROLLOUT_ADVANCE_SCHEDULE", "0 0 0 1 1 *"));
        ServerUrl = new Uri(Client.BaseAddress!, "api");
        Devices = new AcquisitionClient(ServerUrl);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A new app with an empty <c>production</c> channel.</summary>
    public async Task<string> CreateAppAsync()
    {
        var appId = $"com.codepush.app{Interlocked.Increment(ref _apps)}";
        await SendAsync(HttpMethod.Post, "api/v1/apps", new JsonObject { ["id"] = appId, ["name"] = appId, ["defaultChannel"] = "production" }, 201);
        return appId;
    }

    /// <summary>Zips <paramref name="files"/>, uploads and commits them as bundle <paramref name="version"/>.</summary>
    public async Task<byte[]> UploadAsync(string appId, string version, IReadOnlyDictionary<string, string> files)
    {
        var zip = Zip(files);
        var ticket = await SendAsync(HttpMethod.Post, $"api/v1/apps/{appId}/bundles", new JsonObject
        {
            ["version"] = version,
            ["size"] = zip.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(zip)),
        }, 201);
        using (var put = new HttpRequestMessage(HttpMethod.Put, ticket["uploadUrl"]!.GetValue<string>()) { Content = new ByteArrayContent(zip) })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var plain = new HttpClient();
            using var response = await plain.SendAsync(put);
            Assert.True(response.IsSuccessStatusCode, $"PUT to the SAS answered {(int)response.StatusCode}");
        }
        await SendAsync(HttpMethod.Post, $"api/v1/apps/{appId}/bundles/{version}/commit", null, 200);
        return zip;
    }

    /// <summary>Uploads a bundle of one JS file and releases it on a channel.</summary>
    public async Task<JsonNode> ReleaseAsync(
        string appId, string version, string targetBinary, string channel = "production", bool mandatory = false, int? rollout = null,
        JsonObject? gates = null)
    {
        await UploadAsync(appId, version, BundleFiles(version));
        var body = new JsonObject
        {
            ["channel"] = channel,
            ["bundle"] = version,
            ["targetBinary"] = targetBinary,
            ["mandatory"] = mandatory,
            ["description"] = $"Bundle {version}",
            ["rollout"] = rollout,
            ["rolloutGates"] = gates,
        };
        return await SendAsync(HttpMethod.Post, $"api/v1/apps/{appId}/codepush/releases", body, 201);
    }

    public static Dictionary<string, string> BundleFiles(string version) => new()
    {
        ["CodePush/index.android.bundle"] = $"console.log('bundle {version}');",
        ["CodePush/assets/logo.txt"] = "logo",
    };

    public async Task<string> DeploymentKeyAsync(string appId, string channel = "production", string platform = "android")
    {
        var created = await SendAsync(HttpMethod.Post, $"api/v1/apps/{appId}/codepush/keys",
            new JsonObject { ["channel"] = channel, ["platform"] = platform }, 201);
        return created["key"]!.GetValue<string>();
    }

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, int expectedStatus)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BootstrapKey);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Waits until every event published so far is aggregated, then sums one bundle's counters on a channel.</summary>
    public async Task<MetricCounters> CountersAsync(string appId, string bundle, string channel = "production")
    {
        await Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var rows = await Services.GetRequiredService<IMetricsStore>().QueryAsync(appId, now.AddHours(-2), now.AddHours(1), CancellationToken.None);
        return MetricCounters.Sum(rows
            .Where(r => r.Key.BundleVersion == bundle && r.Key.Segment == MetricKey.AllSegment && r.Key.Channel == channel)
            .Select(r => r.Counters));
    }

    private static byte[] Zip(IReadOnlyDictionary<string, string> files)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return stream.ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class CodePushHostCollection : ICollectionFixture<CodePushHost>
{
    public const string Name = "CodePush against LocalHost";
}
