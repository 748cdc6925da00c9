using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Management;

/// <summary>LocalHost in process on Azurite, seeded with the demo seed, with a known bootstrap admin key.</summary>
public sealed class ManagementFixture : IAsyncLifetime
{
    private TestLocalHost? _host;

    public string BootstrapKey { get; } = ApiKeySecrets.Mint().Secret;

    public HttpClient Client => _host!.Client;

    public HttpClient Plain { get; } = new();

    public IServiceProvider Services => _host!.Services;

    /// <summary>The bundles container of this host's storage.</summary>
    public string BundlesContainer => _host!.Storage.BundlesContainer;

    public async Task InitializeAsync() => _host = await TestLocalHost.StartAsync(("Management:BootstrapKey", BootstrapKey));

    public Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? key = null, string? ifMatch = null) =>
        SendRawAsync(method, path, body?.ToJsonString(), key ?? BootstrapKey, ifMatch);

    public async Task<Reply> SendRawAsync(HttpMethod method, string path, string? body, string? key, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var etag = response.Headers.TryGetValues("ETag", out var values) ? values.First() : null;
        return new Reply((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), etag, response.Headers.RetryAfter?.ToString());
    }

    /// <summary>Mints a key through the API with the bootstrap key.</summary>
    public async Task<(string Id, string Key)> MintAsync(string role, params string[] apps)
    {
        var body = new JsonObject { ["name"] = "test " + role, ["role"] = role };
        if (apps.Length > 0)
            body["apps"] = new JsonArray([.. apps.Select(a => (JsonNode)a)]);
        var reply = await SendAsync(HttpMethod.Post, "/api/v1/keys", body);
        Assert.Equal(201, reply.Status);
        return (reply.Str("id")!, reply.Str("key")!);
    }

    public async Task DisposeAsync()
    {
        Plain.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
    }
}

public sealed record Reply(int Status, JsonNode? Body, string? ETag, string? RetryAfter)
{
    public string? Str(string name) => Body?[name]?.GetValue<string>();

    public string? Error => Str("error");

    public JsonArray Array => Body!.AsArray();
}

[CollectionDefinition(Name)]
public sealed class ManagementGroup : ICollectionFixture<ManagementFixture>
{
    public const string Name = "Management";
}
