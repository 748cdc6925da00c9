using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace UpdateFunctions.LocalHost.Tests.Routing;

/// <summary>Requests no function takes get the same JSON error shape as every other answer.</summary>
[Collection(LocalHostGroup.Name)]
public sealed class FallbackFunctionTests(LocalHostFixture host)
{
    private async Task<(HttpStatusCode Status, JsonObject Body, string? Allow)> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response.Content.Headers.Allow.Count == 0 ? null : string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/updates/extra")]
    [InlineData("/api/v1/apps/com.demo.app/nothing")]
    [InlineData("/not-even-api")]
    public async Task An_unknown_route_is_a_JSON_404_not_found(string path)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", body["error"]!.GetValue<string>());
        Assert.Contains(path, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/updates", "POST")]
    [InlineData("PATCH", "/api/channel_self", "DELETE, GET, POST, PUT")]
    [InlineData("DELETE", "/api/v1/apps", "GET, POST")]
    public async Task A_known_route_with_the_wrong_method_is_a_JSON_405_with_allow(string method, string path, string allow)
    {
        var (status, body, allowed) = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method_not_allowed", body["error"]!.GetValue<string>());
        Assert.Equal(allow, allowed);
    }

    [Fact]
    public async Task Error_messages_keep_their_apostrophes_readable()
    {
        const string request = """{"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-000000000001","platform":"android","version_name":"1.0.1","version_build":"one"}""";
        using var content = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync("/api/updates", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("version_build 'one'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
    }
}
