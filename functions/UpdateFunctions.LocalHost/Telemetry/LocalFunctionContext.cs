using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.LocalHost.Telemetry;

/// <summary>
/// The slice of a Functions invocation context that non-HTTP functions read on LocalHost: binding data (e.g. the
/// Event Hubs <c>PartitionContext</c>), services and cancellation. Everything else is inert.
/// </summary>
internal sealed class LocalFunctionContext(
    string functionName,
    IReadOnlyDictionary<string, object?> bindingData,
    IServiceProvider services,
    CancellationToken cancellationToken) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId => functionName;
    public override TraceContext TraceContext => throw new NotSupportedException("LocalHost has no distributed trace context.");
    public override BindingContext BindingContext { get; } = new LocalBindingContext(bindingData);
    public override RetryContext RetryContext => throw new NotSupportedException("LocalHost retries by redelivering the batch.");
    public override IServiceProvider InstanceServices { get; set; } = services;
    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException("LocalHost does not load function metadata.");
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => throw new NotSupportedException("LocalHost has no invocation features.");
    public override CancellationToken CancellationToken { get; } = cancellationToken;

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> bindingData) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = bindingData;
    }
}
