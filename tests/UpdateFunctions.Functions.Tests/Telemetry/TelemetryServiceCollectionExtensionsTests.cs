using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Functions.Telemetry;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Metrics;

namespace UpdateFunctions.Functions.Tests.Telemetry;

public sealed class TelemetryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_pipeline_resolves_publisher_aggregator_and_store_from_the_event_hubs_section()
    {
        await using var provider = Build(new Dictionary<string, string?>
        {
            ["EventHubs:ConnectionString"] = "Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0",
            ["Storage:TablePrefix"] = "dev",
        });

        var options = provider.GetRequiredService<IOptions<EventHubsOptions>>().Value;
        Assert.Equal("telemetry", options.EventHubName);
        Assert.Equal("aggregator", options.ConsumerGroup);
        Assert.IsType<EventHubTelemetryPublisher>(provider.GetRequiredService<ITelemetryPublisher>());
        Assert.Equal("telemetry", provider.GetRequiredService<EventHubProducerClient>().EventHubName);
        Assert.NotNull(provider.GetRequiredService<TelemetryAggregator>());
        Assert.Equal("devmetrics", Assert.IsType<TableMetricsStore>(provider.GetRequiredService<IMetricsStore>()).TableFullName);
        Assert.IsType<AllSegmentClassifier>(provider.GetRequiredService<ISegmentClassifier>());
    }

    [Fact]
    public async Task Without_a_namespace_or_connection_string_the_options_fail_validation()
    {
        await using var provider = Build(new Dictionary<string, string?> { ["EventHubs:EventHubName"] = "telemetry" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventHubsOptions>>().Value);
        Assert.Contains("EventHubs__FullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Storage:ConnectionString"] = "UseDevelopmentStorage=true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // The metrics store shares the storage account and table prefix the storage registration binds.
        services.AddUpdateStorage(configuration);
        services.AddTelemetryPipeline(configuration);
        return services.BuildServiceProvider();
    }
}
