using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UpdateFunctions.Core.Devices;

/// <summary>An answer to a device: HTTP status, UTF-8 JSON body, and a <c>Retry-After</c> for 429/503.</summary>
public sealed record DeviceResponse(int StatusCode, byte[] Body, int? RetryAfterSeconds = null)
{
    public static DeviceResponse Json<T>(int statusCode, T body, JsonTypeInfo<T> typeInfo, int? retryAfterSeconds = null) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(body, typeInfo), retryAfterSeconds);

    public static DeviceResponse Error(int statusCode, ProtocolError error, string? kind = null, int? retryAfterSeconds = null) =>
        Json(statusCode, new ErrorBody(error.Code, error.Message, kind), DeviceErrorJsonContext.Readable.ErrorBody, retryAfterSeconds);

    public static DeviceResponse Error(int statusCode, string code, string message, string? kind = null, int? retryAfterSeconds = null) =>
        Error(statusCode, new ProtocolError(code, message), kind, retryAfterSeconds);

    /// <summary>Storage (or the telemetry transport) is down and nothing cached can answer.</summary>
    public static DeviceResponse Unavailable(int retryAfterSeconds) =>
        Error(503, DeviceErrors.ServiceUnavailable, "The service is temporarily unavailable; retry later.", "failed", retryAfterSeconds);

    /// <summary>Too many calls: the plugin waits <c>Retry-After</c> before calling again.</summary>
    public static DeviceResponse RateLimited(int retryAfterSeconds) =>
        Error(429, DeviceErrors.RateLimited, $"Too many requests; retry in {retryAfterSeconds} s.", "failed", retryAfterSeconds);

    public static DeviceResponse AppNotFound(string appId) =>
        Error(404, DeviceErrors.AppNotFound, $"App {appId} is not registered.", "failed");
}
