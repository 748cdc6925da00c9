using System.Text;
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Functions.Tests.Telemetry;

internal static class TelemetryTestData
{
    public const string App = "com.example.functions";
    public static readonly DateTimeOffset Received = new(2026, 3, 1, 9, 20, 0, TimeSpan.Zero);

    public static StatsEvent Event(string deviceId, string action, string bundle = "1.1.0", string? channel = "beta", Platform platform = Platform.Android) =>
        new(new DeviceInfo(App, deviceId, platform, bundle, "1.0.0", DefaultChannel: channel), action, bundle, null, null, null, Received);

    /// <summary>Events as the trigger hands them over: envelope bodies with sequence numbers.</summary>
    public static EventData[] EventHubBatch(long firstSequenceNumber, params StatsEvent[] events) =>
        events.Select((e, i) => Data(TelemetryEnvelope.Serialize(e), firstSequenceNumber + i, e)).ToArray();

    public static EventData Data(byte[] body, long sequenceNumber, StatsEvent? statsEvent = null) =>
        EventHubsModelFactory.EventData(
            new BinaryData(body),
            partitionKey: statsEvent is null ? null : $"{statsEvent.Device.AppId}:{statsEvent.Device.DeviceId}",
            sequenceNumber: sequenceNumber,
            offsetString: (sequenceNumber * 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
            enqueuedTime: Received);

    public static EventData Poison(string body, long sequenceNumber) => Data(Encoding.UTF8.GetBytes(body), sequenceNumber);

    /// <summary>A function context carrying the binding data the Event Hubs trigger sends the worker.</summary>
    public static FunctionContext ContextFor(string partitionId) =>
        new TriggerContext(new Dictionary<string, object?>
        {
            // The host serialises the PartitionContext to JSON; the worker hands it over as a string.
            ["PartitionContext"] = $$"""{"FullyQualifiedNamespace":"ns.servicebus.windows.net","EventHubName":"telemetry","ConsumerGroup":"aggregator","PartitionId":"{{partitionId}}"}""",
            ["SequenceNumberArray"] = "[1,2,3]",
        });

    internal sealed class TriggerContext(IReadOnlyDictionary<string, object?> bindingData) : FunctionContext
    {
        public override string InvocationId => "invocation-1";

        public override string FunctionId => "function-1";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext { get; } = new TriggerBindingContext(bindingData);

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class TriggerBindingContext(IReadOnlyDictionary<string, object?> bindingData) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = bindingData;
    }
}
