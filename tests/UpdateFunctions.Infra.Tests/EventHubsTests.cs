namespace UpdateFunctions.Infra.Tests;

[Collection(InfraGroup.Name)]
public sealed class EventHubsTests(InfraFixture infra)
{
    private const string Namespace = "Microsoft.EventHub/namespaces";

    [Fact]
    public void Event_hubs_namespace_disables_local_auth()
    {
        Assert.True(infra.Default.One(Namespace).Bool("properties", "disableLocalAuth"));
        Assert.True(infra.Alternative.One(Namespace).Bool("properties", "disableLocalAuth"));
    }

    [Fact]
    public void Event_hubs_namespace_is_standard_and_requires_tls_1_2()
    {
        var eventHubs = infra.Default.One(Namespace);
        Assert.Equal("Standard", eventHubs.String("sku", "name"));
        Assert.Equal("1.2", eventHubs.String("properties", "minimumTlsVersion"));
    }

    [Fact]
    public void Telemetry_hub_has_the_partition_count_of_the_parameter()
    {
        Assert.Equal(4, infra.Default.One($"{Namespace}/eventhubs", "/telemetry").Int("properties", "partitionCount"));
        Assert.Equal(8, infra.Alternative.One($"{Namespace}/eventhubs", "/telemetry").Int("properties", "partitionCount"));
    }

    [Fact]
    public void Aggregator_consumer_group_exists_on_the_telemetry_hub() =>
        infra.Default.One($"{Namespace}/eventhubs/consumergroups", "/telemetry/aggregator");
}
