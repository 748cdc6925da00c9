using Azure.Data.Tables;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Retention;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Metrics;

namespace UpdateFunctions.Functions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The whole telemetry pipeline: Event Hubs publishing (<see cref="ITelemetryPublisher"/>) and aggregation into the
    /// <c>metrics</c> table. Options section <c>EventHubs</c>, validated on start.
    /// </summary>
    public static IServiceCollection AddTelemetryPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddTelemetryAggregation(configuration);

        services.AddOptions<EventHubsOptions>()
            .BindConfiguration(EventHubsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAzureClients(clients => clients.AddClient<EventHubProducerClient, EventHubProducerClientOptions>(
            (clientOptions, credential, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<EventHubsOptions>>().Value;
                // Fail fast inside the publisher's own timeout instead of the SDK's one-minute default tries.
                clientOptions.RetryOptions.TryTimeout = options.SendTimeout;
                clientOptions.RetryOptions.MaximumRetries = 2;
                return string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? new EventHubProducerClient(options.FullyQualifiedNamespace, options.EventHubName, credential, clientOptions)
                    : new EventHubProducerClient(options.ConnectionString, options.EventHubName, clientOptions);
            }));
        services.TryAddSingleton<EventHubTelemetryPublisher>();
        services.TryAddSingleton<ITelemetryPublisher>(provider => provider.GetRequiredService<EventHubTelemetryPublisher>());
        return services;
    }

    /// <summary>
    /// Aggregation only (no Event Hubs client): <see cref="TelemetryAggregator"/> over the Table <c>metrics</c> store
    /// (a <see cref="TableServiceClient"/> and <see cref="StorageOptions"/> must be registered: <c>AddUpdateStorage</c>) and the
    /// default segment classifier. LocalHost's in-process transport needs just this.
    /// </summary>
    public static IServiceCollection AddTelemetryAggregation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISegmentClassifier>(AllSegmentClassifier.Instance);
        services.TryAddSingleton(provider => new TableMetricsStore(
            provider.GetRequiredService<TableServiceClient>(),
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix,
            provider.GetRequiredService<ILogger<TableMetricsStore>>()));
        services.TryAddSingleton<IMetricsStore>(provider => provider.GetRequiredService<TableMetricsStore>());
        services.TryAddSingleton<IMetricsRetentionStore>(provider => provider.GetRequiredService<TableMetricsStore>());
        services.TryAddSingleton<TelemetryAggregator>();
        return services;
    }
}
