using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Management;

namespace UpdateFunctions.Functions.Management;

public static class ManagementServiceCollectionExtensions
{
    /// <summary>
    /// The management API: <see cref="ManagementOptions"/> (section <c>Management</c>), its stores, the key
    /// authenticator (cached for <see cref="StorageOptions.SnapshotRefreshInterval"/>), one service per resource and the HTTP edge.
    /// </summary>
    public static IServiceCollection AddManagement(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(configuration);
        services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddManagementStorage();
        services.AddSingleton(sp => new ManagementAuthenticator(
            sp.GetRequiredService<IApiKeyStore>(),
            sp.GetRequiredService<IOptions<ManagementOptions>>().Value.BootstrapKey,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.SnapshotRefreshInterval,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ManagementOptions>>().Value);
        services.AddSingleton<ManagementChanges>();
        services.AddSingleton<AppService>();
        services.AddSingleton<ChannelService>();
        services.AddSingleton<BundleService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<SegmentService>();
        services.AddSingleton<RolloutService>();
        services.AddSingleton<KeyService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<AppMetricsService>();
        services.AddSingleton<ManagementHttp>();
        return services;
    }
}
