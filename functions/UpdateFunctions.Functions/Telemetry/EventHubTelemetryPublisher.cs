using Azure.Identity;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Functions.Telemetry;

/// <summary>
/// Publishes stats to Event Hubs: one <see cref="TelemetryEnvelope"/> JSON body per event, partition key
/// <c>{appId}:{deviceId}</c> (a device's events stay in order on one partition), sent in as few batches as fit.
/// </summary>
/// <remarks>
/// Back-pressure: at most <see cref="EventHubsOptions.MaxConcurrentPublishes"/> publishes are in flight; a caller that
/// cannot get a slot within <see cref="EventHubsOptions.QueueTimeout"/> gets <see cref="TelemetryUnavailableException"/>
/// (503 + <c>Retry-After</c>, which the plugin honours) instead of an unbounded queue. Event Hubs failures, and a
/// publish that exceeds <see cref="EventHubsOptions.SendTimeout"/>, are reported the same way: never dropped silently.
/// </remarks>
public sealed partial class EventHubTelemetryPublisher : ITelemetryPublisher, IDisposable
{
    private readonly EventHubProducerClient _producer;
    private readonly EventHubsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<EventHubTelemetryPublisher> _logger;
    private readonly SemaphoreSlim _slots;

    public EventHubTelemetryPublisher(
        EventHubProducerClient producer,
        IOptions<EventHubsOptions> options,
        TimeProvider clock,
        ILogger<EventHubTelemetryPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(options);
        _producer = producer;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentPublishes, _options.MaxConcurrentPublishes);
    }

    /// <summary>The Event Hubs partition key of a device's events.</summary>
    public static string PartitionKeyOf(StatsEvent statsEvent)
    {
        ArgumentNullException.ThrowIfNull(statsEvent);
        return string.Concat(statsEvent.Device.AppId, ":", statsEvent.Device.DeviceId);
    }

    public async ValueTask PublishAsync(IReadOnlyList<StatsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            return;

        if (!await _slots.WaitAsync(_options.QueueTimeout, cancellationToken))
        {
            LogSaturated(events.Count, _options.MaxConcurrentPublishes);
            throw new TelemetryUnavailableException(
                $"Telemetry publishing is saturated ({_options.MaxConcurrentPublishes} publishes in flight).");
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.SendTimeout, _clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                // A v8 plugin sends one device's queue at a time, so this is usually a single group.
                foreach (var group in events.GroupBy(PartitionKeyOf, StringComparer.Ordinal))
                    await SendGroupAsync(group.Key, group, linked.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogUnavailable(ex, events.Count, "timed out");
                throw new TelemetryUnavailableException($"Publishing telemetry took longer than {_options.SendTimeout}.", ex);
            }
            catch (Exception ex) when (ex is EventHubsException or TimeoutException or UnauthorizedAccessException or AuthenticationFailedException)
            {
                LogUnavailable(ex, events.Count, ex.GetType().Name);
                throw new TelemetryUnavailableException("Event Hubs did not accept the telemetry.", ex);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task SendGroupAsync(string partitionKey, IEnumerable<StatsEvent> events, CancellationToken cancellationToken)
    {
        var batchOptions = new CreateBatchOptions { PartitionKey = partitionKey };
        var batch = await _producer.CreateBatchAsync(batchOptions, cancellationToken);
        try
        {
            foreach (var statsEvent in events)
            {
                var data = new EventData(TelemetryEnvelope.Serialize(statsEvent)) { ContentType = "application/json" };
                if (batch.TryAdd(data))
                    continue;
                if (batch.Count > 0)
                {
                    // Full: send it and start the next one.
                    await _producer.SendAsync(batch, cancellationToken);
                    batch.Dispose();
                    batch = await _producer.CreateBatchAsync(batchOptions, cancellationToken);
                    if (batch.TryAdd(data))
                        continue;
                }

                // Larger than an empty batch: it can never be sent; retrying would not help the device.
                LogOversized(partitionKey, statsEvent.Action, data.EventBody.ToMemory().Length, batch.MaximumSizeInBytes);
            }

            if (batch.Count > 0)
                await _producer.SendAsync(batch, cancellationToken);
        }
        finally
        {
            batch.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry publishing saturated: {EventCount} events refused with 503, {MaxConcurrentPublishes} publishes in flight")]
    private partial void LogSaturated(int eventCount, int maxConcurrentPublishes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry unavailable ({Reason}): {EventCount} events refused with 503")]
    private partial void LogUnavailable(Exception exception, int eventCount, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped a '{Action}' event for {PartitionKey}: {Size} bytes exceed the Event Hubs batch limit of {MaxSize} bytes")]
    private partial void LogOversized(string partitionKey, string action, int size, long maxSize);
}
