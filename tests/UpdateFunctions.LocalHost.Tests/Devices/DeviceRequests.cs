using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpdateFunctions.LocalHost.Tests.Devices;

/// <summary>Device requests built the way the Capgo plugin (v8) builds them (docs/protocol.md).</summary>
internal static class DeviceRequests
{
    public const string AppId = "com.demo.app";

    public static JsonObject Device(
        string deviceId = "0c0ffee0-0000-4000-8000-000000000001",
        string platform = "android",
        string versionName = "builtin",
        string versionBuild = "1.0.0",
        bool isEmulator = false,
        bool isProd = true,
        string? defaultChannel = null,
        string appId = AppId)
    {
        var body = new JsonObject
        {
            ["platform"] = platform,
            ["device_id"] = deviceId,
            ["app_id"] = appId,
            ["custom_id"] = "",
            ["version_build"] = versionBuild,
            ["version_code"] = "1",
            ["version_os"] = "14",
            ["version_name"] = versionName,
            ["plugin_version"] = "8.3.1",
            ["is_emulator"] = isEmulator,
            ["is_prod"] = isProd,
        };
        if (defaultChannel is not null)
            body["defaultChannel"] = defaultChannel;
        return body;
    }

    public static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(text);
        return ((int)response.StatusCode, node as JsonObject ?? new JsonObject { ["array"] = node });
    }

    public static Task<(int Status, JsonObject Body)> CheckAsync(HttpClient client, JsonNode body) =>
        SendAsync(client, HttpMethod.Post, "/api/updates", body);

    public static async Task<(int Status, string Text)> PostRawAsync(HttpClient client, string path, byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        using var response = await client.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string? Str(this JsonObject body, string name) => body[name]?.GetValue<string>();

    public static JsonElement AsElement(this JsonNode node) => JsonSerializer.SerializeToElement(node);

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
