using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Functions.Management;

/// <summary>
/// The edge every management function goes through: bearer key → caller (401), role and app (403), route values
/// checked with the device edge's validators (400 <c>invalid_id</c>), bounded strict JSON body (400), one service
/// call, and the answer written as JSON with its ETag; storage outages become 503 with <c>Retry-After</c>.
/// </summary>
public sealed partial class ManagementHttp(
    ManagementAuthenticator authenticator, IOptions<ManagementOptions> options, ILogger<ManagementHttp> logger)
{
    private const int RetryAfterSeconds = 5;

    /// <summary>A call without a body, served by the function named <paramref name="function"/> (its role is checked).</summary>
    public Task<IActionResult> RunAsync<TResult>(
        HttpRequest request, string function,
        Func<ManagementCall, CancellationToken, Task<ManagementResult<TResult>>> handle,
        CancellationToken cancellationToken) =>
        ExecuteAsync(request, ManagementRoutes.Of(function), async (call, ct) => await handle(call, ct), cancellationToken);

    /// <summary>A call with a JSON body of type <typeparamref name="TBody"/>; the handler also gets the names present at the top level.</summary>
    public Task<IActionResult> RunAsync<TBody, TResult>(
        HttpRequest request, string function, JsonTypeInfo<TBody> bodyType,
        Func<ManagementCall, TBody, IReadOnlySet<string>, CancellationToken, Task<ManagementResult<TResult>>> handle,
        CancellationToken cancellationToken) =>
        ExecuteAsync(request, ManagementRoutes.Of(function), async (call, ct) =>
        {
            var (body, present, error) = await ReadBodyAsync(request, bodyType, ct);
            return error is not null ? Error(error) : Map(await handle(call, body!, present!, ct));
        }, cancellationToken);

    private async Task<IActionResult> ExecuteAsync<TResult>(
        HttpRequest request, ManagementRoute route,
        Func<ManagementCall, CancellationToken, Task<ManagementResult<TResult>>> handle,
        CancellationToken cancellationToken) =>
        await ExecuteAsync(request, route, async (call, ct) => Map(await handle(call, ct)), cancellationToken);

    private async Task<IActionResult> ExecuteAsync(
        HttpRequest request, ManagementRoute route,
        Func<ManagementCall, CancellationToken, Task<IActionResult>> handle,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        try
        {
            var caller = await authenticator.AuthenticateAsync(BearerOf(request), cancellationToken);
            if (caller is null)
                return Error(new ManagementError(ManagementErrorKind.Unauthorized, ManagementErrors.Unauthorized, "A valid API key is required: Authorization: Bearer <key>."));
            if (route.Role is { } role && !caller.Has(role))
                return Error(ManagementError.Forbidden($"This call needs the '{role.ToWire()}' role; the key has '{caller.Role.ToWire()}'."));

            if (CheckRouteValues(request, caller) is { } refused)
                return Error(refused);

            var call = new ManagementCall(caller, request);
            return await handle(call, cancellationToken);
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(ex, route.Function);
            return new ManagementJsonResult(503, Serialize(new ErrorDto(ManagementErrors.StorageUnavailable, "Storage is unavailable; retry shortly.")), null, RetryAfterSeconds);
        }
        catch (ConcurrencyConflictException ex)
        {
            return Error(ManagementError.Conflict(ex.Message));
        }
    }

    private static ManagementError? CheckRouteValues(HttpRequest request, ManagementCaller caller)
    {
        var values = request.RouteValues;
        if (values.TryGetValue("app", out var app))
        {
            var appId = app as string;
            if (!DeviceInfoReader.IsValidAppId(appId))
                return ManagementError.Invalid(ManagementErrors.InvalidId, "The app id in the path is not a valid app id.");
            if (!caller.MaySee(appId!))
                return ManagementError.Forbidden($"This key may not touch app '{appId}'.");
        }
        if (values.TryGetValue("channel", out var channel) && !DeviceInfoReader.IsValidChannelName(channel as string))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "The channel name in the path is not a valid channel name.");
        if (values.TryGetValue("name", out var segment) && !Core.Segments.SegmentDefinition.IsValidName(segment as string))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "The segment name in the path is not a valid segment name.");
        if (values.TryGetValue("deviceId", out var device) && !DeviceInfoReader.IsValidDeviceId(device as string))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "The device id in the path is not a valid device id.");
        if (values.TryGetValue("rollout", out var rollout) && !RolloutService.IsValidRolloutId(rollout as string))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "The rollout id in the path is not a valid rollout id.");
        if (values.TryGetValue("id", out var id) && (id as string is not { Length: > 0 and <= 64 } keyId || !keyId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "The key id in the path is not a valid key id.");
        return null;
    }

    private static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    private async Task<(T? Body, IReadOnlySet<string>? Present, ManagementError? Error)> ReadBodyAsync<T>(
        HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBodyBytes;
        if (request.ContentLength > max)
            return (default, null, ManagementError.Invalid(ManagementErrors.BodyTooLarge, $"The body is larger than {max} bytes."));

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
                return (default, null, ManagementError.Invalid(ManagementErrors.BodyTooLarge, $"The body is larger than {max} bytes."));
            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        HashSet<string> present;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (default, null, ManagementError.Invalid(ManagementErrors.InvalidBody, "The body must be a JSON object."));
            present = [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
        }
        catch (JsonException ex)
        {
            return (default, null, ManagementError.Invalid(ManagementErrors.InvalidJson, $"The body is not valid JSON: {ex.Message}"));
        }

        try
        {
            var body = JsonSerializer.Deserialize(bytes.Span, type);
            return body is null
                ? (default, null, ManagementError.Invalid(ManagementErrors.InvalidBody, "The body must be a JSON object."))
                : (body, present, null);
        }
        catch (JsonException ex)
        {
            return (default, null, ManagementError.Invalid(ManagementErrors.InvalidBody, $"The body does not fit this call: {ex.Message}"));
        }
    }

    private static IActionResult Map<T>(ManagementResult<T> result)
    {
        if (result.Error is { } error)
            return Error(error);
        return result.Status switch
        {
            ManagementStatus.NoContent => new ManagementJsonResult(204, null, result.ETag, null),
            ManagementStatus.Created => new ManagementJsonResult(201, Serialize(result.Value!), result.ETag, null),
            _ => new ManagementJsonResult(200, Serialize(result.Value!), result.ETag, null),
        };
    }

    internal static IActionResult Error(ManagementError error)
    {
        var status = error.Kind switch
        {
            ManagementErrorKind.BadRequest => 400,
            ManagementErrorKind.Unauthorized => 401,
            ManagementErrorKind.Forbidden => 403,
            ManagementErrorKind.NotFound => 404,
            ManagementErrorKind.Conflict => 409,
            ManagementErrorKind.PreconditionFailed => 412,
            _ => 400,
        };
        return new ManagementJsonResult(status, Serialize(new ErrorDto(error.Code, error.Message)), null, null);
    }

    private static byte[] Serialize(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ManagementJsonContext.Readable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Management call {Function} answered 503: storage unavailable")]
    private partial void LogStorageUnavailable(Exception exception, string function);
}

/// <summary>An authenticated management call: the caller and the request's route values, query and <c>If-Match</c>.</summary>
public sealed record ManagementCall(ManagementCaller Caller, HttpRequest Request)
{
    public string Route(string name) => (string)Request.RouteValues[name]!;

    public string? Query(string name) => Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public string? IfMatch => Request.Headers.IfMatch.Count > 0 ? Request.Headers.IfMatch.ToString() : null;

    /// <summary>Device ids are lower-cased, as the device edge stores them.</summary>
    public string DeviceId => Route("deviceId").ToLowerInvariant();
}

/// <summary>A pre-serialised JSON answer with an optional ETag and <c>Retry-After</c>.</summary>
public sealed class ManagementJsonResult(int statusCode, byte[]? body, string? etag, int? retryAfterSeconds) : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext.Response;
        http.StatusCode = StatusCode;
        if (etag is not null)
            http.Headers.ETag = etag;
        if (retryAfterSeconds is { } seconds)
            http.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (body is null)
            return Task.CompletedTask;
        http.ContentType = "application/json; charset=utf-8";
        http.Headers.XContentTypeOptions = "nosniff";
        http.ContentLength = body.Length;
        return http.Body.WriteAsync(body, context.HttpContext.RequestAborted).AsTask();
    }
}
