using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Functions.Devices;

/// <summary>The HTTP edge of the device endpoints: bounded body reading and writing a <see cref="DeviceResponse"/>.</summary>
public static class DeviceHttp
{
    /// <summary>
    /// Reads the body (whatever its <c>Content-Type</c>, as the plugin's may vary) into a pooled buffer of at most
    /// <paramref name="maxBytes"/>, runs <paramref name="handle"/> on it, and returns the buffer to the pool.
    /// </summary>
    public static async Task<IActionResult> WithBodyAsync(
        HttpRequest request,
        int maxBytes,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<DeviceResponse>> handle,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handle);
        if (request.ContentLength > maxBytes)
            return TooLarge(maxBytes);

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } length and > 0 ? (int)length + 1 : 4096);
        try
        {
            var read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                        return TooLarge(maxBytes);
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, maxBytes + 1) - read), cancellationToken);
                if (n == 0)
                    break;
                read += n;
                if (read > maxBytes)
                    return TooLarge(maxBytes);
            }
            return new DeviceResult(await handle(buffer.AsMemory(0, read), cancellationToken));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first value of each query-string key.</summary>
    public static Dictionary<string, string?> QueryOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new Dictionary<string, string?>(request.Query.Count, StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
            query[key] = values.Count > 0 ? values[0] : null;
        return query;
    }

    private static DeviceResult TooLarge(int maxBytes) =>
        new(DeviceResponse.Error(400, DeviceErrors.BodyTooLarge, $"The body is larger than {maxBytes} bytes."));
}

/// <summary>Writes an already serialised <see cref="DeviceResponse"/>: no MVC formatter on the hot path.</summary>
public sealed class DeviceResult(DeviceResponse response) : IActionResult
{
    public DeviceResponse Response { get; } = response;

    /// <summary>The <c>Allow</c> header of a 405.</summary>
    public string? Allow { get; init; }

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext.Response;
        http.StatusCode = Response.StatusCode;
        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = Response.Body.Length;
        if (Response.RetryAfterSeconds is { } seconds)
            http.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Allow is not null)
            http.Headers.Allow = Allow;
        return http.Body.WriteAsync(Response.Body, context.HttpContext.RequestAborted).AsTask();
    }
}
