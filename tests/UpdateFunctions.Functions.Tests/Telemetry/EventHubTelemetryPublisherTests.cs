using System.Runtime.CompilerServices;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Telemetry;

namespace UpdateFunctions.Functions.Tests.Telemetry;

public sealed class EventHubTelemetryPublisherTests
{
    private readonly FakeTimeProvider _clock = new(TelemetryTestData.Received);
    private readonly List<(string? PartitionKey, List<EventData> Events)> _sent = [];
    private readonly ConditionalWeakTable<EventDataBatch, Tuple<CreateBatchOptions, List<EventData>>> _batches = [];
    private readonly Mock<EventHubProducerClient> _producer = new();

    [Fact]
    public async Task Each_event_is_sent_as_an_envelope_with_the_app_and_device_as_partition_key()
    {
        AcceptBatches(capacity: 100);
        using var publisher = Publisher();
        StatsEvent[] events =
        [
            TelemetryTestData.Event("d1", "set"),
            TelemetryTestData.Event("d2", "download_complete"),
            TelemetryTestData.Event("d1", "app_moved_to_foreground"),
        ];

        await publisher.PublishAsync(events, CancellationToken.None);

        Assert.Equal(2, _sent.Count);
        var d1 = Assert.Single(_sent, batch => batch.PartitionKey == TelemetryTestData.App + ":d1");
        Assert.Equal(["set", "app_moved_to_foreground"], d1.Events.Select(Decode).Select(e => e.Action));
        var d2 = Assert.Single(_sent, batch => batch.PartitionKey == TelemetryTestData.App + ":d2");
        Assert.Equal(events[1], Decode(Assert.Single(d2.Events)));
        Assert.All(_sent.SelectMany(batch => batch.Events), data => Assert.Equal("application/json", data.ContentType));
    }

    [Fact]
    public async Task Events_that_do_not_fit_one_batch_are_split_over_several_in_order()
    {
        AcceptBatches(capacity: 2);
        using var publisher = Publisher();
        var events = Enumerable.Range(0, 5).Select(i => TelemetryTestData.Event("d1", "download_" + (i * 10))).ToList();

        await publisher.PublishAsync(events, CancellationToken.None);

        Assert.Equal([2, 2, 1], _sent.Select(batch => batch.Events.Count));
        Assert.Equal(events.Select(e => e.Action), _sent.SelectMany(batch => batch.Events).Select(Decode).Select(e => e.Action));
    }

    [Fact]
    public async Task An_event_too_large_for_any_batch_is_dropped_and_logged_not_retried_forever()
    {
        AcceptBatches(capacity: 0);
        using var publisher = Publisher();

        await publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], CancellationToken.None);

        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Event_hubs_refusing_the_send_makes_telemetry_unavailable()
    {
        AcceptBatches(capacity: 100);
        var refusal = new EventHubsException(true, "telemetry", "busy", EventHubsException.FailureReason.ServiceBusy);
        _producer.Setup(p => p.SendAsync(It.IsAny<EventDataBatch>(), It.IsAny<CancellationToken>())).ThrowsAsync(refusal);
        using var publisher = Publisher();

        var error = await Assert.ThrowsAsync<TelemetryUnavailableException>(
            () => publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], CancellationToken.None).AsTask());

        Assert.Same(refusal, error.InnerException);
    }

    [Fact]
    public async Task Event_hubs_unreachable_when_creating_a_batch_makes_telemetry_unavailable()
    {
        _producer.Setup(p => p.CreateBatchAsync(It.IsAny<CreateBatchOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EventHubsException(true, "telemetry", "no route", EventHubsException.FailureReason.ServiceCommunicationProblem));
        using var publisher = Publisher();

        await Assert.ThrowsAsync<TelemetryUnavailableException>(
            () => publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_send_that_outlasts_the_send_timeout_makes_telemetry_unavailable()
    {
        AcceptBatches(capacity: 100);
        _producer.Setup(p => p.SendAsync(It.IsAny<EventDataBatch>(), It.IsAny<CancellationToken>()))
            .Returns((EventDataBatch _, CancellationToken token) => Task.Delay(Timeout.Infinite, token));
        using var publisher = Publisher();

        var publishing = publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<TelemetryUnavailableException>(() => publishing);
    }

    [Fact]
    public async Task When_every_publish_slot_is_taken_the_next_caller_is_told_to_come_back_later()
    {
        AcceptBatches(capacity: 100);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _producer.Setup(p => p.SendAsync(It.IsAny<EventDataBatch>(), It.IsAny<CancellationToken>())).Returns(release.Task);
        using var publisher = Publisher(options => (options.MaxConcurrentPublishes, options.QueueTimeout) = (1, TimeSpan.Zero));

        var first = publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], CancellationToken.None).AsTask();
        await Assert.ThrowsAsync<TelemetryUnavailableException>(
            () => publisher.PublishAsync([TelemetryTestData.Event("d2", "set")], CancellationToken.None).AsTask());
        release.SetResult();
        await first;

        // The slot is free again.
        await publisher.PublishAsync([TelemetryTestData.Event("d3", "set")], CancellationToken.None);
    }

    [Fact]
    public async Task A_caller_that_gives_up_sees_its_own_cancellation_not_an_outage()
    {
        AcceptBatches(capacity: 100);
        _producer.Setup(p => p.SendAsync(It.IsAny<EventDataBatch>(), It.IsAny<CancellationToken>()))
            .Returns((EventDataBatch _, CancellationToken token) => Task.Delay(Timeout.Infinite, token));
        using var publisher = Publisher();
        using var caller = new CancellationTokenSource();

        var publishing = publisher.PublishAsync([TelemetryTestData.Event("d1", "set")], caller.Token).AsTask();
        await caller.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);
        Assert.IsNotType<TelemetryUnavailableException>(error);
    }

    private EventHubTelemetryPublisher Publisher(Action<EventHubsOptions>? configure = null)
    {
        var options = new EventHubsOptions { FullyQualifiedNamespace = "ns.servicebus.windows.net", SendTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new EventHubTelemetryPublisher(_producer.Object, Options.Create(options), _clock, NullLogger<EventHubTelemetryPublisher>.Instance);
    }

    /// <summary>Batches built by the SDK's model factory that hold <paramref name="capacity"/> events.</summary>
    private void AcceptBatches(int capacity)
    {
        _producer.Setup(p => p.CreateBatchAsync(It.IsAny<CreateBatchOptions>(), It.IsAny<CancellationToken>()))
            .Returns((CreateBatchOptions options, CancellationToken _) =>
            {
                var store = new List<EventData>();
                var batch = EventHubsModelFactory.EventDataBatch(1024 * 1024, store, options, _ => store.Count < capacity);
                _batches.Add(batch, Tuple.Create(options, store));
                return new ValueTask<EventDataBatch>(batch);
            });
        _producer.Setup(p => p.SendAsync(It.IsAny<EventDataBatch>(), It.IsAny<CancellationToken>()))
            .Returns((EventDataBatch batch, CancellationToken _) =>
            {
                var (options, store) = _batches.TryGetValue(batch, out var entry) ? entry : throw new InvalidOperationException("unknown batch");
                _sent.Add((options.PartitionKey, [.. store]));
                return Task.CompletedTask;
            });
    }

    private static StatsEvent Decode(EventData data) =>
        TelemetryEnvelope.TryDeserialize(data.EventBody.ToMemory().Span, out var statsEvent, out var error)
            ? statsEvent
            : throw new InvalidOperationException(error);
}
