using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>
/// Aggregates stats from Event Hubs into the <c>metrics</c> table, one partition batch per invocation.
/// </summary>
/// <remarks>
/// Undecodable events never fail the invocation; a failure here means storage is unreachable. Re-running a batch is
/// safe (the store skips what it already applied), while giving up would let the checkpoint move past events never
/// counted: so the invocation retries without limit, backing off to 15 minutes.
/// </remarks>
public sealed class TelemetryAggregatorFunction(TelemetryAggregator aggregator)
{
    [Function(nameof(TelemetryAggregatorFunction))]
    [ExponentialBackoffRetry(-1, "00:00:04", "00:15:00")]
    public Task Run(
        [EventHubTrigger("%EventHubs:EventHubName%", Connection = "EventHubs", ConsumerGroup = "%EventHubs:ConsumerGroup%", IsBatched = true)]
        EventData[] events,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        aggregator.AggregateAsync(EventHubBindingData.GetPartitionId(context), events, cancellationToken);
}
