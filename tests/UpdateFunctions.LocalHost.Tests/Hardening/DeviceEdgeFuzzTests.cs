using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Storage.Metrics;
using Xunit.Abstractions;

namespace UpdateFunctions.LocalHost.Tests.Hardening;

/// <summary>
/// Throws many thousands of malformed and hostile requests at every device endpoint: wrong types, huge strings,
/// unicode edge cases, deep nesting, invalid semver, path-traversal and OData-injection-looking ids, and the CodePush
/// routes' keys, versions, hashes, labels and oversized query strings. Nothing may answer 5xx, a request malformed by
/// construction gets a 4xx, every row that changes belongs to a request answered 2xx that may write it, and no blob changes.
/// </summary>
public sealed class DeviceEdgeFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cases = 16_000;
    private string _deploymentKey = "";
    private TestLocalHost _host = null!;
    private AzuriteFixture _storage = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync(("Logging:LogLevel:Default", "Warning"));
        (_storage, _client) = (_host.Storage, _host.Client);
        var (key, id) = DeploymentKey.Generate();
        await _host.Services.GetRequiredService<ICodePushStore>().AddKeyAsync(
            new DeploymentKey(id, DeploymentKey.HashOf(key), "com.demo.app", "production", Platform.Android, "fuzz", DateTimeOffset.UtcNow),
            CancellationToken.None);
        _deploymentKey = key;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string[] HostileStrings =
    [
        "", " ", "\0", "\u0001\u0002", "../../etc/passwd", "..\\..\\windows", "/", "#", "?", "%00", "%2e%2e%2f",
        "' or PartitionKey ne '", "x' or RowKey gt '", "com.demo.app' or '1' eq '1", "$filter=true", "<script>alert(1)</script>",
        "\ud83d\ude00\ud83d\ude00", "\u202e\u0041", "\uFEFF", "\ud800", "Ω≈ç√∫", "a\u0301", "🏳️‍🌈", "null", "true", "1e309",
        "-1", "9223372036854775808", "1.0.0-", "1..0", "01.1.1", "1.0.0+", "v1.0.0", "builtin ", "BUILTIN", "unknown\n",
        new string('a', 37), new string('9', 100), new string('x', 5000), "com.demo.app", "0c0ffee0-0000-4000-8000-000000000001",
    ];

    private static readonly string[] Fields =
    [
        "app_id", "device_id", "platform", "version_name", "version_build", "version_code", "version_os", "plugin_version",
        "is_emulator", "is_prod", "custom_id", "defaultChannel", "install_source", "key_id", "channel", "action",
        "old_version_name", "timestamp", "metadata",
    ];

    private static JsonObject ValidDevice() => new()
    {
        ["app_id"] = "com.demo.app", ["device_id"] = "0c0ffee0-0000-4000-8000-000000000001", ["platform"] = "android",
        ["version_name"] = "1.0.0", ["version_build"] = "1.0.0", ["is_emulator"] = false, ["is_prod"] = true,
        ["plugin_version"] = "8.3.1", ["action"] = "set", ["channel"] = "beta",
    };

    private static JsonNode? HostileValue(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.NextDouble() * Math.Pow(10, random.Next(-10, 300)),
        3 => new JsonArray(1, "two", null),
        4 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray() } },
        5 => long.MinValue,
        _ => HostileStrings[random.Next(HostileStrings.Length)],
    };

    /// <summary>A request body, and whether it is malformed by construction (then only a 4xx is a right answer).</summary>
    private static (string Body, bool Malformed) Body(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
            {
                // Balanced and shallow, it is an array /stats may take (its items then fail one by one).
                var (open, close) = (random.Next(1, 200), random.Next(0, 200));
                return (new string('[', open) + new string(']', close), open != close || open > 16);
            }
            case 1: return ("{" + string.Concat(Enumerable.Repeat("\"a\":{", random.Next(1, 100))) + "1" + new string('}', random.Next(0, 100)), true);
            case 2:
            {
                // An empty body lets DELETE read the device from the query string instead.
                var text = HostileStrings[random.Next(HostileStrings.Length)];
                return (text, text.Length > 0);
            }
            case 3: return ("""{"app_id":"com.demo.app","app_id":"com.demo.app"}""", true);
            case 4:
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return (Encoding.Latin1.GetString(bytes), true);
            }
            case 5:
            {
                var batch = new JsonArray();
                for (var i = random.Next(0, 30); i > 0; i--)
                    batch.Add(Mutate(ValidDevice(), random));
                return (batch.ToJsonString(), false);
            }
            default:
                // A mutation can leave a valid request (a field removed that was optional, a string that happens to fit).
                return (Mutate(ValidDevice(), random).ToJsonString(), false);
        }
    }

    private static JsonObject Mutate(JsonObject device, Random random)
    {
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var field = Fields[random.Next(Fields.Length)];
            if (random.Next(5) == 0)
                device.Remove(field);
            else
                device[field] = HostileValue(random);
        }
        return device;
    }

    [Fact]
    public async Task Hostile_requests_get_a_4xx_and_only_requests_answered_2xx_write()
    {
        var before = await TableRowsAsync();
        var blobsBefore = await BlobsAsync();
        var random = new Random(20261129);
        var statuses = new Dictionary<int, int>();
        var endpoints = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, "/api/updates"), (HttpMethod.Post, "/api/stats"), (HttpMethod.Post, "/api/channel_self"),
            (HttpMethod.Put, "/api/channel_self"), (HttpMethod.Delete, "/api/channel_self"), (HttpMethod.Get, "/api/channel_self"),
            (HttpMethod.Get, "/api/v0.1/public/codepush/update_check"), (HttpMethod.Get, "/api/updateCheck"),
            (HttpMethod.Post, "/api/v0.1/public/codepush/report_status/deploy"), (HttpMethod.Post, "/api/v0.1/public/codepush/report_status/download"),
            (HttpMethod.Post, "/api/reportStatus/deploy"), (HttpMethod.Post, "/api/reportStatus/download"),
        };
        var failures = new List<string>();
        var malformed = 0;
        // What requests answered 2xx may have written: device rows (POST/DELETE channel_self), metrics of stats events.
        var writtenDevices = new HashSet<string>(StringComparer.Ordinal);
        var reportedBundles = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < Cases; i++)
        {
            var (method, path) = endpoints[i % endpoints.Length];
            var codePush = !path.Contains("channel_self", StringComparison.Ordinal) && path is not ("/api/updates" or "/api/stats");
            var (query, badQuery) = method != HttpMethod.Get && method != HttpMethod.Delete ? ("", false) : codePush ? CodePushQuery(random) : (Query(random), false);
            using var request = new HttpRequestMessage(method, path + query);
            var (body, isMalformed) = method == HttpMethod.Get ? ("", badQuery) : codePush ? CodePushBody(random) : Body(random);
            if (method != HttpMethod.Get)
                request.Content = new StringContent(body, Encoding.UTF8, random.Next(3) == 0 ? "text/plain" : "application/json");
            using var response = await _client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            malformed += isMalformed ? 1 : 0;
            if ((status >= 500 || (isMalformed && status is < 400 or >= 500)) && failures.Count < 5)
                failures.Add($"{method} {path}{query}: {status} {await response.Content.ReadAsStringAsync()} <- {body}");
            if (status is >= 200 and < 300)
                RecordPossibleWrites(method, path, query, body, writtenDevices, reportedBundles);
        }

        output.WriteLine($"{Cases} hostile requests ({malformed} malformed by construction): "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.True(malformed > Cases / 4, $"only {malformed} malformed requests were sent");

        // Only requests answered 2xx write: a self-assignment (the device row it names, in its bucket partition, and the
        // change-log entries of the app) or stats (metrics rows of the bundles its events name), of the seeded app only.
        // Device endpoints never write a blob.
        await _host.Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);
        var after = await TableRowsAsync();
        var changed = after.Except(before).Concat(before.Except(after)).ToList();
        Assert.All(changed, row =>
        {
            var parts = row.Split('|');
            if (row.StartsWith($"{_storage.TablePrefix}devices|com.demo.app~", StringComparison.Ordinal))
                Assert.True(writtenDevices.Contains(parts[2]), $"{row}: no 2xx channel_self write named this device");
            else if (row.StartsWith($"{_storage.TablePrefix}changes|com.demo.app|", StringComparison.Ordinal))
                Assert.True(writtenDevices.Count > 0, $"{row}: a change-log entry with no 2xx channel_self write");
            else if (row.StartsWith($"{_storage.TablePrefix}metrics|com.demo.app|", StringComparison.Ordinal))
                Assert.True(reportedBundles.Contains(parts[6]), $"{row}: no 2xx stats request reported bundle {parts[6]}");
            else
                Assert.Fail($"{row}: no device request may write this row");
        });
        Assert.Equal(blobsBefore, await BlobsAsync());
        // Made-up channel names do not become metrics keys: only real channels or "" (none resolved).
        var channels = after.Where(r => r.StartsWith($"{_storage.TablePrefix}metrics|", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(channels, r => r.Contains("|%2F|", StringComparison.Ordinal));
    }

    private static void RecordPossibleWrites(HttpMethod method, string path, string query, string body,
        HashSet<string> writtenDevices, HashSet<string> reportedBundles)
    {
        // Update checks, channel lists and channel reads (PUT) write nothing.
        var writes = path == "/api/stats" || (path == "/api/channel_self" && (method == HttpMethod.Post || method == HttpMethod.Delete));
        if (!writes)
            return;
        if (path == "/api/channel_self" && method == HttpMethod.Delete && body.Length == 0)
        {
            var deviceId = System.Web.HttpUtility.ParseQueryString(query)["device_id"];
            if (deviceId is not null)
                writtenDevices.Add(deviceId.ToLowerInvariant());
            return;
        }
        var node = JsonNode.Parse(body);
        var objects = node is JsonArray array ? array.OfType<JsonObject>() : node is JsonObject single ? [single] : [];
        foreach (var item in objects)
        {
            if (path == "/api/channel_self" && item["device_id"] is JsonValue id && id.TryGetValue<string>(out var deviceId))
                writtenDevices.Add(deviceId.ToLowerInvariant());
            if (path == "/api/stats" && item["version_name"] is JsonValue version && version.TryGetValue<string>(out var bundle))
                reportedBundles.Add(MetricsTableKeys.Encode(MetricKey.BundleOf(bundle)));
        }
    }

    /// <summary>Every blob of this test's container, as "name|etag".</summary>
    private async Task<List<string>> BlobsAsync()
    {
        var container = _storage.CreateBlobServiceClient().GetBlobContainerClient(_storage.BundlesContainer);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
            blobs.Add($"{blob.Name}|{blob.Properties.ETag}");
        return blobs;
    }

    private static readonly string[] CodePushFields =
    [
        "deployment_key", "deploymentKey", "app_version", "appVersion", "package_hash", "packageHash", "label",
        "client_unique_id", "clientUniqueId", "is_companion", "status", "previous_label_or_app_version", "previous_deployment_key",
    ];

    private JsonObject ValidCodePush() => new()
    {
        ["deployment_key"] = _deploymentKey, ["app_version"] = "1.2.0", ["client_unique_id"] = "rn-device-1",
        ["label"] = "v1", ["package_hash"] = new string('a', 64), ["status"] = "DeploymentSucceeded",
    };

    /// <summary>A CodePush report body (a known key, then a few fields made hostile), or any hostile body.</summary>
    private (string Body, bool Malformed) CodePushBody(Random random)
    {
        if (random.Next(6) == 0)
            return Body(random);
        var body = ValidCodePush();
        var keyTouched = false;
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var field = CodePushFields[random.Next(CodePushFields.Length)];
            keyTouched |= field == "deployment_key";
            if (random.Next(5) == 0)
                body.Remove(field);
            else
                body[field] = HostileValue(random);
        }
        // Without the real key (missing, not a string, malformed or unknown) only a 4xx is right.
        return (body.ToJsonString(), keyTouched);
    }

    /// <summary>
    /// A CodePush query: mostly valid, a hostile value or two, sometimes far beyond any real query's length; malformed by
    /// construction when it names no deployment key or is oversized.
    /// </summary>
    private (string Query, bool Malformed) CodePushQuery(Random random)
    {
        var parts = new List<string>();
        var namesKey = false;
        foreach (var (field, value) in ValidCodePush())
        {
            if (field == "status" || random.Next(6) == 0)
                continue;
            var hostile = random.Next(3) == 0;
            var name = random.Next(4) == 0 ? CodePushFields[random.Next(CodePushFields.Length)] : field;
            namesKey |= name is "deployment_key" or "deploymentKey";
            var text = hostile ? HostileStrings[random.Next(HostileStrings.Length)] : value!.GetValue<string>();
            parts.Add($"{name}={Uri.EscapeDataString(text)}");
        }
        var oversized = random.Next(10) == 0;
        if (oversized)
            parts.Add("padding=" + new string('p', random.Next(2_000, 6_000)));
        return ("?" + string.Join('&', parts), oversized || !namesKey);
    }

    private static string Query(Random random)
    {
        var parts = new List<string>();
        foreach (var field in new[] { "app_id", "device_id", "platform", "is_emulator", "is_prod", "version_name", "version_build" })
        {
            if (random.Next(4) == 0)
                continue;
            var value = random.Next(3) == 0 ? HostileStrings[random.Next(HostileStrings.Length)] : field switch
            {
                "app_id" => "com.demo.app", "platform" => "ios", "is_emulator" or "is_prod" => "false",
                "device_id" => "0c0ffee0-0000-4000-8000-000000000002", _ => "1.0.0",
            };
            parts.Add($"{field}={Uri.EscapeDataString(value)}");
        }
        return "?" + string.Join('&', parts);
    }

    /// <summary>Every row of every table of this test's prefix, as "table|pk|rk|etag".</summary>
    private async Task<HashSet<string>> TableRowsAsync()
    {
        var service = _storage.CreateTableServiceClient();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(_storage.TablePrefix) >= 0 && t.Name.CompareTo(_storage.TablePrefix + "~") < 0))
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
                rows.Add($"{table.Name}|{entity.PartitionKey}|{entity.RowKey}|{entity.ETag}");
        }
        return rows;
    }
}
