using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UpdateFunctions.Core.CodePush;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Retention;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Core.Updates;
using UpdateFunctions.Functions.ReleaseConsole;
using UpdateFunctions.Functions.Devices;
using UpdateFunctions.Functions.Management;
using UpdateFunctions.Functions.Telemetry;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.CodePush;

namespace UpdateFunctions.Functions.Hosting;

public static class UpdatePipelineServiceCollectionExtensions
{
    /// <summary>
    /// The one composition root, shared by the Functions app and LocalHost: storage, the device endpoints and
    /// telemetry aggregation. The host adds its telemetry transport (<c>AddTelemetryPipeline</c> for Event Hubs).
    /// </summary>
    public static IServiceCollection AddUpdatePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddUpdateStorage(configuration);

        services.AddOptions<DeviceApiOptions>()
            .BindConfiguration(DeviceApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<UpdateDecider>();
        services.AddSingleton(provider =>
        {
            var api = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeviceApiOptions>>().Value;
            return new DeviceRateLimiter(
                new DeviceRateLimits(api.RateLimitPerDevicePerMinute, api.RateLimitPerAppPerSecond),
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<OfferBodyCache>();
        services.AddSingleton<UpdateCheckHandler>();
        services.AddSingleton<StatsHandler>();
        services.AddSingleton<ChannelSelfHandler>();
        services.AddCodePushStorage();
        services.AddSingleton<CodePushHandler>();
        services.AddManagement(configuration);
        services.AddSingleton<CodePushReleaseService>();
        services.AddSingleton<DeploymentKeyService>();
        services.AddReleaseConsole();

        // Aggregation is the same everywhere; the transport that feeds it (Event Hubs, or LocalHost's in-process hub)
        // and so the ITelemetryPublisher are the host's choice.
        services.AddTelemetryAggregation(configuration);
        services.TryAddSingleton<MetricsQueryService>();
        services.TryAddSingleton<IRolloutHealthSource, MetricsRolloutHealthSource>();
        services.TryAddSingleton<RolloutAdvancerService>();

        // What grows is kept within its window: metrics roll-up, audit retention, expired uploads.
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(provider => new RetentionService(
            provider.GetRequiredService<IMetricsRetentionStore>(),
            provider.GetRequiredService<IAuditLog>(),
            provider.GetRequiredService<IOptions<RetentionOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new UploadCleanupService(
            provider.GetRequiredService<IPendingUploadStore>(),
            provider.GetRequiredService<IBundleStaging>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
