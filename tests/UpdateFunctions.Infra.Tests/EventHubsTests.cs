namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class EventHubsTests(InfraFixture infra)
{
    private const string Module = "eventhubs";

    private JsonObject Namespace => infra.SingleResource(Module, "Microsoft.EventHub/namespaces");

    [Fact]
    public void Event_Hubs_namespace_disables_local_auth()
    {
        Assert.True(Arm.Bool(Namespace["properties"]!["disableLocalAuth"]));
    }

    [Fact]
    public void Event_Hubs_namespace_requires_TLS_1_2()
    {
        Assert.Equal("1.2", Arm.Text(Namespace["properties"]!["minimumTlsVersion"]));
    }

    [Fact]
    public void Event_Hubs_namespace_is_Standard_tier()
    {
        Assert.Equal("Standard", Arm.Text(Namespace["sku"]!["name"]));
        Assert.Equal("Standard", Arm.Text(Namespace["sku"]!["tier"]));
    }

    [Fact]
    public void Telemetry_hub_takes_its_partition_count_from_a_parameter_and_has_the_aggregator_group()
    {
        var hub = infra.SingleResource(Module, "Microsoft.EventHub/namespaces/eventhubs");
        Assert.Equal("[parameters('partitionCount')]", Arm.Text(hub["properties"]!["partitionCount"]));
        Assert.Equal("[parameters('eventHubPartitionCount')]", Arm.Text(infra.ModuleArgument(Module, "partitionCount")));
        var group = infra.SingleResource(Module, "Microsoft.EventHub/namespaces/eventhubs/consumergroups");
        Assert.Contains("parameters('consumerGroupName')", Arm.Text(group["name"]), StringComparison.Ordinal);
    }
}
