using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace UpdateFunctions.DeviceSimulator.Tests.Support;

/// <summary>
/// A device API in a handler, for what a real server cannot be made to do on demand (429s, dropped connections):
/// answers <c>/api/updates</c> and <c>/api/stats</c> with the functions given and records every request body.
/// </summary>
internal sealed class StubDeviceApi(
    Func<JsonObject, HttpResponseMessage> updates,
    Func<JsonArray, int, HttpResponseMessage>? stats = null) : HttpMessageHandler
{
    public static readonly Uri BaseAddress = new("http://stub.test/");

    private int _statsCalls;

    public ConcurrentQueue<JsonObject> Checks { get; } = new();

    /// <summary>Every stats event received, from every call (retried ones again).</summary>
    public ConcurrentQueue<JsonObject> Events { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        switch (request.RequestUri!.AbsolutePath)
        {
            case "/api/updates":
                var check = JsonNode.Parse(text)!.AsObject();
                Checks.Enqueue(check);
                return updates(check);
            case "/api/stats":
                var batch = JsonNode.Parse(text)!.AsArray();
                var call = Interlocked.Increment(ref _statsCalls);
                var answer = stats?.Invoke(batch, call) ?? Ok(batch);
                if (answer.IsSuccessStatusCode)
                {
                    foreach (var item in batch)
                        Events.Enqueue(item!.AsObject());
                }
                return answer;
            default:
                return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Offer(string version) =>
        Json($$"""{"version":"{{version}}","url":"http://cdn.test/bundles/{{version}}.zip","checksum":"{{new string('a', 64)}}","session_key":""}""");

    public static HttpResponseMessage UpToDate() =>
        Json("""{"error":"no_new_version_available","message":"No new version available","kind":"up_to_date"}""");

    public static HttpResponseMessage Ok(JsonArray batch) =>
        Json(new JsonObject
        {
            ["status"] = "ok",
            ["results"] = new JsonArray([.. batch.Select((_, i) => (JsonNode)new JsonObject { ["status"] = "ok", ["index"] = i })]),
        }.ToJsonString());

    /// <summary>Offers <paramref name="version"/> until the device runs it.</summary>
    public static Func<JsonObject, HttpResponseMessage> Channel(string version) =>
        check => (string?)check["version_name"] == version ? UpToDate() : Offer(version);
}
