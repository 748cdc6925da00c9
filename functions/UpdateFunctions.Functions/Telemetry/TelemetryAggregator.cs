using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>What one aggregated Event Hubs batch did.</summary>
/// <param name="Events">Events received.</param>
/// <param name="Undecodable">Events whose body was not a valid <see cref="TelemetryEnvelope"/>: logged and skipped.</param>
/// <param name="Keys">Distinct metric keys, i.e. row writes needed.</param>
public sealed record TelemetryAggregation(int Events, int Undecodable, int Keys, MetricsApplyResult Applied);

/// <summary>
/// Turns one partition's batch of Event Hubs events into metrics: decode, fold per key, merge into the store.
/// Shared by the Event Hubs trigger and LocalHost's in-process transport.
/// </summary>
public sealed partial class TelemetryAggregator(IMetricsStore store, ISegmentClassifier classifier, ILogger<TelemetryAggregator> logger)
{
    /// <param name="partitionId">The Event Hubs partition the events came from (their sequence numbers are per partition).</param>
    /// <param name="events">The batch, in partition order.</param>
    public async Task<TelemetryAggregation> AggregateAsync(string partitionId, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionId);
        ArgumentNullException.ThrowIfNull(events);

        var decoded = new List<SequencedStatsEvent>(events.Count);
        var undecodable = 0;
        foreach (var data in events)
        {
            if (TelemetryEnvelope.TryDeserialize(data.EventBody.ToMemory().Span, out var statsEvent, out var error))
            {
                decoded.Add(new SequencedStatsEvent(data.SequenceNumber, statsEvent));
            }
            else
            {
                // A poison event must not block the partition: count it, log it, move on.
                undecodable++;
                LogUndecodable(partitionId, data.SequenceNumber, error);
            }
        }

        var batch = MetricsFold.FoldBatch(partitionId, decoded, classifier);
        var applied = await store.ApplyBatchAsync(batch, cancellationToken);
        LogAggregated(partitionId, events.Count, undecodable, batch.Keys.Count, applied.Written, applied.Skipped);
        return new TelemetryAggregation(events.Count, undecodable, batch.Keys.Count, applied);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped undecodable telemetry event {SequenceNumber} of partition {PartitionId}: {Error}")]
    private partial void LogUndecodable(string partitionId, long sequenceNumber, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Aggregated {EventCount} events of partition {PartitionId} ({Undecodable} undecodable) into {KeyCount} keys: {Written} rows written, {Skipped} already applied")]
    private partial void LogAggregated(string partitionId, int eventCount, int undecodable, int keyCount, int written, int skipped);
}
