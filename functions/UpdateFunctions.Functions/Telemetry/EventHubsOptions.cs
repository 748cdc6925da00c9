using System.ComponentModel.DataAnnotations;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>
/// Settings of the telemetry transport, section <c>EventHubs</c> (app settings <c>EventHubs__FullyQualifiedNamespace</c>,
/// <c>EventHubs__EventHubName</c>, …). In Azure set the namespace and use the managed identity; locally a
/// <see cref="ConnectionString"/> can stand in. The trigger reads the same section (<c>Connection = "EventHubs"</c>).
/// </summary>
public sealed class EventHubsOptions : IValidatableObject
{
    public const string SectionName = "EventHubs";

    /// <summary><c>{namespace}.servicebus.windows.net</c>; used with the managed identity.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    [Required]
    public string EventHubName { get; set; } = "telemetry";

    [Required]
    public string ConsumerGroup { get; set; } = "aggregator";

    /// <summary>A connection string, for local development only (production uses no shared keys).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Publish calls in flight at once; further calls wait up to <see cref="QueueTimeout"/>, then get 503.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPublishes { get; set; } = 64;

    /// <summary>How long a publish waits for a free slot before the device is told to retry later.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one publish call, Event Hubs retries included.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(FullyQualifiedNamespace) && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Set EventHubs__FullyQualifiedNamespace (managed identity) or, locally, EventHubs__ConnectionString.",
                [nameof(FullyQualifiedNamespace), nameof(ConnectionString)]);
        }

        if (QueueTimeout < TimeSpan.Zero)
            yield return new ValidationResult("EventHubs__QueueTimeout must not be negative.", [nameof(QueueTimeout)]);
        if (SendTimeout <= TimeSpan.Zero)
            yield return new ValidationResult("EventHubs__SendTimeout must be positive.", [nameof(SendTimeout)]);
    }
}
