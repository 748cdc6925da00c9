using System.Net.Sockets;
using System.Text.Json;
using UpdateFunctions.DeviceSimulator.Wire;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>What HTTP failures mean to a device: transport errors, error codes and <c>Retry-After</c>.</summary>
public sealed partial class DeviceFleet
{
    private static DeviceOutcome Failure(string reason) => new(CheckResult.Error, Reason: reason) { Errors = [reason] };

    private static DeviceOutcome Unreached(Exception ex)
    {
        var reason = TransportReason(ex);
        return new DeviceOutcome(CheckResult.Error, Reason: reason, Reached: false, Unreachable: reason) { Errors = ["updates: " + reason] };
    }

    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string TransportReason(Exception ex) => ex switch
    {
        TaskCanceledException => "timed out",
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            _ => socket.Message,
        },
        _ => ex.Message,
    };

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _clock.GetUtcNow() : DefaultRetryAfter);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    private static string ErrorCode(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, PluginJsonContext.Default.ErrorAnswer)?.Error ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
