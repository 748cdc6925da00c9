namespace UpdateFunctions.Core.Telemetry;

/// <summary>Hands validated stats to the telemetry pipeline (Event Hubs in production).</summary>
public interface ITelemetryPublisher
{
    /// <summary>Publishes a batch; throws <see cref="TelemetryUnavailableException"/> when it cannot be accepted.</summary>
    ValueTask PublishAsync(IReadOnlyList<StatsEvent> events, CancellationToken cancellationToken);
}
