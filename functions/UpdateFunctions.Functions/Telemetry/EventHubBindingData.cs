using System.Text.Json;
using Azure.Messaging.EventHubs.Consumer;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>
/// Reads the Event Hubs partition id of a trigger invocation. The isolated worker cannot bind a
/// <see cref="PartitionContext"/> parameter; the host sends it as binding data <c>PartitionContext</c>, serialised to
/// JSON (<c>{"PartitionId":"3","EventHubName":…}</c>), which the worker exposes as a string.
/// </summary>
public static class EventHubBindingData
{
    public const string PartitionContextKey = "PartitionContext";

    public static string GetPartitionId(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (name, value) in context.BindingContext.BindingData)
        {
            if (string.Equals(name, PartitionContextKey, StringComparison.OrdinalIgnoreCase)
                && ReadPartitionId(value) is { Length: > 0 } partitionId)
            {
                return partitionId;
            }
        }

        // Without it the per-partition sequence numbers mean nothing and metrics could not stay exact.
        throw new InvalidOperationException(
            $"The Event Hubs trigger passed no '{PartitionContextKey}' binding data with a partition id.");
    }

    /// <summary>The partition id from a binding data value: JSON text, a JSON element, or a partition context.</summary>
    public static string? ReadPartitionId(object? value)
    {
        switch (value)
        {
            case PartitionContext partition:
                return partition.PartitionId;
            case string json when !string.IsNullOrWhiteSpace(json):
                try
                {
                    using var document = JsonDocument.Parse(json);
                    return ReadPartitionId(document.RootElement);
                }
                catch (JsonException)
                {
                    return null;
                }

            case JsonElement element:
                if (element.ValueKind != JsonValueKind.Object)
                    return null;
                foreach (var property in element.EnumerateObject())
                {
                    if (string.Equals(property.Name, "PartitionId", StringComparison.OrdinalIgnoreCase))
                        return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }

                return null;
            default:
                return null;
        }
    }
}
