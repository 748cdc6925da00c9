using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>
/// Aggregates stats from Event Hubs into the <c>metrics</c> table, one partition batch per invocation.
/// </summary>
/// <remarks>
/// Undecodable events never fail the invocation; a failure here means storage is unreachable. Re-running a batch is
/// safe (the store skips what it already applied), and giving up lets the checkpoint move past events never counted,
/// so this function should retry without limit: <c>[ExponentialBackoffRetry(-1, "00:00:04", "00:15:00")]</c>. The
/// worker's generator only accepts that on triggers marked <c>[BindingCapabilities(FunctionLevelRetry)]</c>, as the
/// real <c>EventHubTriggerAttribute</c> is and the build's stand-in is not yet; until the stand-in is, only the Table
/// client's own retries cover a storage blip.
/// </remarks>
public sealed class TelemetryAggregatorFunction(TelemetryAggregator aggregator)
{
    [Function(nameof(TelemetryAggregatorFunction))]
    public Task Run(
        [EventHubTrigger("%EventHubs:EventHubName%", Connection = "EventHubs", ConsumerGroup = "%EventHubs:ConsumerGroup%", IsBatched = true)]
        EventData[] events,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        aggregator.AggregateAsync(EventHubBindingData.GetPartitionId(context), events, cancellationToken);
}
