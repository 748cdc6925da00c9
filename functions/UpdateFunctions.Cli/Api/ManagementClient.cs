using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Cli.Api;

/// <summary>An answer of the API: its status and raw body (printed as is by <c>--json</c>), and the typed value.</summary>
public sealed record ApiResponse<T>(HttpStatusCode Status, string Body, T Value);

/// <summary>
/// The management API over HTTP (docs/management-api.md). Sends <c>Authorization: Bearer</c>; turns an error
/// answer <c>{error,message}</c> into a <see cref="CliException"/> with the exit code of its status, and a connection
/// failure into one naming the server.
/// </summary>
public sealed class ManagementClient(HttpClient http, Uri server, string key)
{
    public Uri Server { get; } = server;

    public static string Segment(string value) => Uri.EscapeDataString(value);

    public Task<ApiResponse<T>> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, type, cancellationToken);

    public Task<ApiResponse<T>> PostAsync<TBody, T>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, Json(body, bodyType), type, cancellationToken);

    public Task<ApiResponse<T>> PutAsync<TBody, T>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, Json(body, bodyType), type, cancellationToken);

    public Task<ApiResponse<T>> PatchAsync<TBody, T>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, Json(body, bodyType), type, cancellationToken);

    /// <summary>A body built by hand, for the one PATCH where an explicit <c>null</c> means "remove" (an app's public key).</summary>
    public Task<ApiResponse<T>> SendJsonAsync<T>(HttpMethod method, string path, JsonObject body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(method, path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), type, cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendRawAsync(HttpMethod.Delete, path, null, cancellationToken);

    public async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(method, path, content, cancellationToken);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Error, "invalid_response", $"{method} {Url(path)} answered {(int)status} with a body that is not the expected JSON: {ex.Message}");
        }
        if (value is null)
            throw new CliException(ExitCodes.Error, "invalid_response", $"{method} {Url(path)} answered {(int)status} without a body.");
        return new ApiResponse<T>(status, body, value);
    }

    public async Task<(HttpStatusCode Status, string Body)> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var url = Url(path);
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            throw new CliException(ExitCodes.Unavailable, "server_unreachable", $"cannot reach the server at {Server}: {reason}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, "timeout", $"the server at {Server} did not answer {method} {url} in time ({ex.Message})");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw ToException(method, url, response, body);
            return (response.StatusCode, body);
        }
    }

    public Uri Url(string path) => new(Server, path.TrimStart('/'));

    public static StringContent Json<TBody>(TBody body, JsonTypeInfo<TBody> type) =>
        new(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    private static CliException ToException(HttpMethod method, Uri url, HttpResponseMessage response, string body)
    {
        var exitCode = ExitCodes.FromStatus(response.StatusCode);
        ErrorDto? error = null;
        try
        {
            if (body.Length > 0)
                error = JsonSerializer.Deserialize(body, CliJson.Default.ErrorDto);
        }
        catch (JsonException)
        {
            // Not the API's error shape (a proxy, or a server without the management API): described below.
        }
        if (error is { Error: { Length: > 0 } code })
        {
            var message = error.Message is { Length: > 0 } text ? text : response.ReasonPhrase ?? code;
            if (response.Headers.RetryAfter?.Delta is { } retry)
                message += $"; retry after {retry.TotalSeconds:0} s";
            return new CliException(exitCode, code, message);
        }
        var status = (int)response.StatusCode;
        return new CliException(exitCode, $"http_{status}", $"{method} {url} answered {status} {response.ReasonPhrase}");
    }
}
