using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

// Compiled only when the real Microsoft.Azure.Functions.Worker.Extensions.EventHubs package is not referenced
// (it is not served by the build machine's registry). Deploys build with -p:UseEventHubsExtension=true, which
// removes this file and binds the real attribute of the same name and namespace.
#pragma warning disable IDE0130 // Namespace does not match folder: must match the real extension's.
namespace Microsoft.Azure.Functions.Worker;
#pragma warning restore IDE0130

/// <summary>Stand-in for the Event Hubs trigger attribute, with the real one's shape.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)]
public sealed class EventHubTriggerAttribute(string eventHubName) : TriggerBindingAttribute, ISupportCardinality
{
    public string EventHubName { get; } = eventHubName;

    public string? Connection { get; set; }

    public string? ConsumerGroup { get; set; }

    public bool IsBatched { get; set; } = true;

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
