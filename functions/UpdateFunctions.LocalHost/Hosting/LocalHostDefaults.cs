using Microsoft.Extensions.DependencyInjection.Extensions;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Storage;

namespace UpdateFunctions.LocalHost.Hosting;

internal static class LocalHostDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Azurite on 127.0.0.1 with its well-known development account.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private static bool IsDevelopmentStorage(string? connectionString) =>
        connectionString is not null
        && (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("devstoreaccount1", StringComparison.Ordinal));

    /// <summary>What a laptop needs without any setting: Azurite storage, port 7071 as <c>func start</c> uses.</summary>
    public static WebApplicationBuilder AddLocalHostDefaults(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["Storage:ConnectionString"]) && string.IsNullOrEmpty(configuration["Storage:TableServiceUri"]))
            configuration["Storage:ConnectionString"] = DevelopmentStorage;

        // On Azurite, devices (and curl) download bundles straight from the emulator: there is no CDN on a laptop.
        // Decided when options are built, so settings added after this point (tests, command line) count too.
        builder.Services.PostConfigure<StorageOptions>(options =>
        {
            // Signed download URLs are for a private container: then there is nothing to open.
            if (configuration["Storage:BundlesPublicRead"] is null && IsDevelopmentStorage(options.ConnectionString) && !options.SignedUrls.Enabled)
                options.BundlesPublicRead = true;
        });
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);

        // A bootstrap admin key for the management API when none is configured (printed in the banner).
        LocalBootstrapKey.AddLocalBootstrapKey(builder);

        // IActionResult execution needs MVC's executors (as in the Functions host's ASP.NET Core integration).
        builder.Services.AddControllers();

        // Event Hubs on a laptop: partitions, sequence numbers, batches and redelivery, feeding the same aggregator function.
        builder.Services.AddOptions<InProcessEventHubOptions>().BindConfiguration(InProcessEventHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<InProcessEventHub>();
        builder.Services.TryAddSingleton<ITelemetryPublisher>(sp => sp.GetRequiredService<InProcessEventHub>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InProcessEventHub>());

        // Timers on the same CRON expressions as in Azure (ROLLOUT_ADVANCE_SCHEDULE every 5 minutes, RETENTION_SCHEDULE
        // daily at 03:30, UPLOAD_CLEANUP_SCHEDULE every 10 minutes by default).
        configuration["ROLLOUT_ADVANCE_SCHEDULE"] ??= "0 */5 * * * *";
        configuration["RETENTION_SCHEDULE"] ??= "0 30 3 * * *";
        configuration["UPLOAD_CLEANUP_SCHEDULE"] ??= "0 */10 * * * *";
        builder.Services.TryAddSingleton<TimerFunctionScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerFunctionScheduler>());
        return builder;
    }
}
