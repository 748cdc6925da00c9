using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Devices;

/// <summary>
/// The CodePush routes over HTTP: the legacy camelCase spelling, deployment key management, and bad input answered
/// with a 4xx in the device API's error body (never a 5xx). The real SDK's view is in the interop suite.
/// </summary>
public sealed class CodePushEndpointTests : IAsyncLifetime
{
    private const string App = "com.demo.app";
    private const string UpdateCheck = "/api/v0.1/public/codepush/update_check";
    private readonly string _admin = ApiKeySecrets.Mint().Secret;
    private TestLocalHost _host = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync(("Management:BootstrapKey", _admin));
        await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/channels", new JsonObject { ["name"] = "rn" }, 201);
        _key = (await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/keys",
            new JsonObject { ["channel"] = "rn", ["platform"] = "ios", ["name"] = "rn ios" }, 201))["key"]!.GetValue<string>();
        await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/releases",
            new JsonObject { ["channel"] = "rn", ["bundle"] = "1.0.1", ["targetBinary"] = "^1.0.0", ["description"] = "first" }, 201);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_legacy_updateCheck_route_reads_and_answers_camelCase()
    {
        var (status, body) = await GetAsync($"/api/updateCheck?deploymentKey={_key}&appVersion=1.4&clientUniqueId=ABC-1");

        Assert.Equal(200, status);
        var info = body!["updateInfo"]!;
        Assert.True(info["isAvailable"]!.GetValue<bool>());
        Assert.Equal("v1", info["label"]!.GetValue<string>());
        Assert.Equal("1.4", info["appVersion"]!.GetValue<string>());
        Assert.Equal(64, info["packageHash"]!.GetValue<string>().Length);
        Assert.StartsWith("http", info["downloadURL"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(body["update_info"]);
    }

    [Fact]
    public async Task The_snake_case_route_answers_every_field_the_client_reads()
    {
        var (status, body) = await GetAsync($"{UpdateCheck}?deployment_key={_key}&app_version=1.2.0&client_unique_id=abc");

        Assert.Equal(200, status);
        var info = body!["update_info"]!.AsObject();
        foreach (var field in new[] { "is_available", "is_mandatory", "app_version", "target_binary_range", "package_hash", "label",
            "package_size", "description", "download_url", "should_run_binary_version", "update_app_version", "is_disabled" })
            Assert.True(info.ContainsKey(field), field);
        Assert.Equal("first", info["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_for_an_android_device_does_not_serve_a_channel_closed_to_android()
    {
        await ManageAsync(HttpMethod.Patch, $"/api/v1/apps/{App}/channels/rn", new JsonObject { ["ios"] = false }, 200);

        var (status, body) = await GetAsync($"{UpdateCheck}?deployment_key={_key}&app_version=1.2.0");

        Assert.Equal(200, status);
        Assert.False(body!["update_info"]!["is_available"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("", 400, "missing_deployment_key")]
    [InlineData("deployment_key=short&app_version=1.0.0", 400, "invalid_deployment_key")]
    [InlineData("deployment_key=has%20space%20in%20the%20key&app_version=1.0.0", 400, "invalid_deployment_key")]
    [InlineData("deployment_key=unknownDeploymentKey1234&app_version=1.0.0", 404, "deployment_key_not_found")]
    [InlineData("deployment_key={key}", 400, "invalid_app_version")]
    [InlineData("deployment_key={key}&app_version=1.0.0.0", 400, "invalid_app_version")]
    [InlineData("deployment_key={key}&app_version=latest", 400, "invalid_app_version")]
    [InlineData("deployment_key={key}&app_version=1.0.0&package_hash=not-hex", 400, "invalid_package_hash")]
    [InlineData("deployment_key={key}&app_version=1.0.0&label=1", 400, "invalid_label")]
    [InlineData("deployment_key={key}&app_version=1.0.0&label=v0", 400, "invalid_label")]
    [InlineData("deployment_key={key}&app_version=1.0.0&client_unique_id=a/b", 400, "invalid_client_unique_id")]
    public async Task Bad_update_checks_get_a_CodePush_4xx_with_a_stable_code(string query, int expectedStatus, string code)
    {
        var (status, body) = await GetAsync($"{UpdateCheck}?{query.Replace("{key}", _key, StringComparison.Ordinal)}");

        Assert.Equal((expectedStatus, code), (status, body?["error"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_device_over_the_rate_limit_gets_429_with_Retry_After_on_checks_and_reports_alike()
    {
        await using var limited = await TestLocalHost.StartAsync(("Management:BootstrapKey", _admin), ("DeviceApi:RateLimitPerDevicePerMinute", "2"));
        using var create = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/keys")
        {
            Content = new StringContent("""{"channel":"production","platform":"android"}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        using var created = await limited.Client.SendAsync(create);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
        var check = $"{UpdateCheck}?deployment_key={key}&app_version=1.0.0&client_unique_id=busy-device";

        using var first = await limited.Client.GetAsync(check);
        using var second = await limited.Client.PostAsync("/api/v0.1/public/codepush/report_status/download",
            new StringContent($$"""{"deployment_key":"{{key}}","client_unique_id":"busy-device","label":"v1"}""", Encoding.UTF8, "application/json"));
        using var third = await limited.Client.GetAsync(check);
        using var other = await limited.Client.GetAsync(check.Replace("busy-device", "quiet-device", StringComparison.Ordinal));

        Assert.Equal((200, 200, 429, 200), ((int)first.StatusCode, (int)second.StatusCode, (int)third.StatusCode, (int)other.StatusCode));
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal("rate_limited", JsonNode.Parse(await third.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_oversized_query_string_is_refused_with_414()
    {
        var (status, body) = await GetAsync($"{UpdateCheck}?deployment_key={_key}&app_version=1.0.0&label=v1&x={new string('x', 3000)}");

        Assert.Equal((414, "query_too_long"), (status, body!["error"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("report_status/deploy", "{", 400, "invalid_json_parse_body")]
    [InlineData("report_status/deploy", "[]", 400, "invalid_json_body")]
    [InlineData("report_status/deploy", """{"app_version":"1.0.0"}""", 400, "missing_deployment_key")]
    [InlineData("report_status/deploy", """{"deployment_key":"{key}","app_version":"x"}""", 400, "invalid_app_version")]
    [InlineData("report_status/deploy", """{"deployment_key":"{key}","app_version":"1.0.0","label":"v1"}""", 400, "invalid_status")]
    [InlineData("report_status/deploy", """{"deployment_key":"{key}","app_version":"1.0.0","label":"v1","status":"Installed"}""", 400, "invalid_status")]
    [InlineData("report_status/deploy", """{"deployment_key":"unknownDeploymentKey1234","app_version":"1.0.0"}""", 404, "deployment_key_not_found")]
    [InlineData("report_status/download", """{"deployment_key":"{key}"}""", 400, "invalid_label")]
    [InlineData("report_status/download", """{"deployment_key":"{key}","label":"v1","client_unique_id":"x y"}""", 400, "invalid_client_unique_id")]
    public async Task Bad_reports_get_a_CodePush_4xx_with_a_stable_code(string route, string body, int expectedStatus, string code)
    {
        using var content = new StringContent(body.Replace("{key}", _key, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync($"/api/v0.1/public/codepush/{route}", content);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal((expectedStatus, code), ((int)response.StatusCode, answer?["error"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_rotated_key_stops_working_and_its_replacement_serves_the_same_channel()
    {
        var keys = await ManageAsync(HttpMethod.Get, $"/api/v1/apps/{App}/codepush/keys", null, 200);
        var listed = Assert.Single(keys.AsArray());
        Assert.Null(listed!["key"]);
        Assert.Equal(("rn", "ios"), (listed["channel"]!.GetValue<string>(), listed["platform"]!.GetValue<string>()));

        var rotated = await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/keys/{listed["id"]}/rotate", null, 200);
        var fresh = rotated["key"]!.GetValue<string>();

        Assert.Equal(404, (await GetAsync($"{UpdateCheck}?deployment_key={_key}&app_version=1.2.0")).Status);
        Assert.Equal(200, (await GetAsync($"{UpdateCheck}?deployment_key={fresh}&app_version=1.2.0")).Status);
        await ManageAsync(HttpMethod.Delete, $"/api/v1/apps/{App}/codepush/keys/{listed["id"]}", null, 204);
        Assert.Equal(404, (await GetAsync($"{UpdateCheck}?deployment_key={fresh}&app_version=1.2.0")).Status);
    }

    [Theory]
    [InlineData("""{"channel":"rn","platform":"electron"}""")]
    [InlineData("""{"channel":"rn"}""")]
    [InlineData("""{"platform":"ios"}""")]
    public async Task A_deployment_key_needs_a_channel_and_a_mobile_platform(string body)
    {
        var reply = await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/keys", JsonNode.Parse(body), 400);

        Assert.NotNull(reply["error"]);
    }

    [Theory]
    [InlineData("""{"channel":"rn","bundle":"1.0.1","targetBinary":"not a range"}""", 400)]
    [InlineData("""{"channel":"rn","bundle":"9.9.9","targetBinary":"1.x"}""", 404)]
    [InlineData("""{"channel":"nope","bundle":"1.0.1","targetBinary":"1.x"}""", 404)]
    [InlineData("""{"channel":"rn","bundle":"1.0.1","targetBinary":"^1.0.0"}""", 409)]
    [InlineData("""{"channel":"rn","bundle":"1.1.0","targetBinary":"1.x","rollout":0}""", 400)]
    public async Task Bad_releases_are_refused_with_a_clear_status(string body, int expectedStatus)
    {
        var reply = await ManageAsync(HttpMethod.Post, $"/api/v1/apps/{App}/codepush/releases", JsonNode.Parse(body), expectedStatus);

        Assert.NotNull(reply["error"]);
    }

    private async Task<(int Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> ManageAsync(HttpMethod method, string path, JsonNode? body, int expectedStatus)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
