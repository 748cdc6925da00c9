namespace UpdateFunctions.Core.Telemetry;

/// <summary>The telemetry transport cannot take events now. Maps to 503 with <c>Retry-After</c>.</summary>
public sealed class TelemetryUnavailableException : Exception
{
    public TelemetryUnavailableException() { }
    public TelemetryUnavailableException(string message) : base(message) { }
    public TelemetryUnavailableException(string message, Exception inner) : base(message, inner) { }
}
