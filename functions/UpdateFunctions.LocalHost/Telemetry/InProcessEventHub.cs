using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Telemetry;

namespace UpdateFunctions.LocalHost.Telemetry;

/// <summary>Settings of LocalHost's in-process Event Hub (section <c>LocalHost:Telemetry</c>).</summary>
public sealed class InProcessEventHubOptions
{
    public const string SectionName = "LocalHost:Telemetry";

    public int Partitions { get; set; } = 4;

    /// <summary>Events a partition holds before publishers get back-pressure (503 + Retry-After at the edge).</summary>
    public int PartitionCapacity { get; set; } = 50_000;

    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a partition waits to fill a batch once its first event arrived.</summary>
    public TimeSpan MaxWaitTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Delay before a failed batch is delivered again (doubling, capped at a minute).</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Event Hubs on a laptop, with the contract that matters to the aggregator: events are routed to partitions by
/// partition key (app + device), get increasing per-partition sequence numbers, arrive in batches, and a batch whose
/// invocation fails is delivered again until it succeeds (at-least-once; the checkpoint only moves after success).
/// Each batch invokes the very <see cref="TelemetryAggregatorFunction"/> that the Event Hubs trigger runs in Azure.
/// </summary>
internal sealed partial class InProcessEventHub : BackgroundService, ITelemetryPublisher
{
    private readonly Partition[] _partitions;
    private readonly InProcessEventHubOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;
    private readonly ILogger<InProcessEventHub> _logger;

    public InProcessEventHub(IOptions<InProcessEventHubOptions> options, IServiceProvider services, TimeProvider clock, ILogger<InProcessEventHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _services = services;
        _clock = clock;
        _logger = logger;
        _partitions = [.. Enumerable.Range(0, Math.Max(1, _options.Partitions)).Select(i => new Partition(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _options.PartitionCapacity))];
    }

    /// <summary>Batches that failed and were delivered again (for tests and the curious).</summary>
    public long Redeliveries => Interlocked.Read(ref _redeliveries);
    private long _redeliveries;

    public ValueTask PublishAsync(IReadOnlyList<StatsEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var statsEvent in events)
        {
            var partition = _partitions[PartitionOf(statsEvent.Device.AppId + ":" + statsEvent.Device.DeviceId)];
            if (!partition.TryEnqueue(TelemetryEnvelope.Serialize(statsEvent), _clock.GetUtcNow()))
                throw new TelemetryUnavailableException($"In-process partition {partition.Id} is full ({_options.PartitionCapacity} events).");
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until everything published so far has been aggregated.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in _partitions)
            await partition.WaitUntilCheckpointedAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_partitions.Select(p => ConsumeAsync(p, stoppingToken)));

    private int PartitionOf(string partitionKey) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(partitionKey)) % (uint)_partitions.Length);

    private async Task ConsumeAsync(Partition partition, CancellationToken stoppingToken)
    {
        var bindingData = new Dictionary<string, object?>
        {
            [EventHubBindingData.PartitionContextKey] = $$"""{"PartitionId":"{{partition.Id}}","EventHubName":"local","ConsumerGroup":"$Default"}""",
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            EventData[] batch;
            try
            {
                batch = await partition.NextBatchAsync(_options.MaxBatchSize, _options.MaxWaitTime, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var delay = _options.RedeliveryDelay;
            while (true)
            {
                try
                {
                    await using var scope = _services.CreateAsyncScope();
                    var function = ActivatorUtilities.CreateInstance<TelemetryAggregatorFunction>(scope.ServiceProvider);
                    var context = new LocalFunctionContext(nameof(TelemetryAggregatorFunction), bindingData, scope.ServiceProvider, stoppingToken);
                    await function.Run(batch, context, stoppingToken);
                    partition.Checkpoint(batch[^1].SequenceNumber);
                    break;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // As Event Hubs would after a failed invocation: the same events come again.
                    Interlocked.Increment(ref _redeliveries);
                    LogRedelivery(ex, partition.Id, batch.Length, delay);
                    await Task.Delay(delay, _clock, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aggregating {Count} events of in-process partition {PartitionId} failed; delivering them again in {Delay}")]
    private partial void LogRedelivery(Exception exception, string partitionId, int count, TimeSpan delay);

    /// <summary>One partition: an ordered queue of events with sequence numbers and a checkpoint.</summary>
    private sealed class Partition(string id, int capacity)
    {
        private readonly Channel<EventData> _events = Channel.CreateBounded<EventData>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly Lock _sequenceLock = new();
        private long _lastSequenceNumber = -1;
        private long _checkpoint = -1;

        public string Id { get; } = id;

        public bool TryEnqueue(byte[] body, DateTimeOffset enqueuedTime)
        {
            // Sequence numbers must follow the queue's order, so numbering and enqueueing happen together.
            lock (_sequenceLock)
            {
                var sequenceNumber = _lastSequenceNumber + 1;
                var data = EventHubsModelFactory.EventData(
                    new BinaryData(body), partitionKey: null, sequenceNumber: sequenceNumber,
                    offsetString: sequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), enqueuedTime: enqueuedTime);
                if (!_events.Writer.TryWrite(data))
                    return false;
                _lastSequenceNumber++;
                return true;
            }
        }

        public async Task<EventData[]> NextBatchAsync(int maxSize, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            var batch = new List<EventData>(maxSize) { await _events.Reader.ReadAsync(cancellationToken) };
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(maxWait);
            try
            {
                while (batch.Count < maxSize)
                {
                    if (_events.Reader.TryRead(out var next))
                        batch.Add(next);
                    else
                        await _events.Reader.WaitToReadAsync(wait.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The batch window closed: deliver what arrived.
            }
            return [.. batch];
        }

        public void Checkpoint(long sequenceNumber)
        {
            Interlocked.Exchange(ref _checkpoint, sequenceNumber);
        }

        public async Task WaitUntilCheckpointedAsync(CancellationToken cancellationToken)
        {
            long target;
            lock (_sequenceLock)
                target = _lastSequenceNumber;
            while (Interlocked.Read(ref _checkpoint) < target)
                await Task.Delay(20, cancellationToken);
        }
    }
}
