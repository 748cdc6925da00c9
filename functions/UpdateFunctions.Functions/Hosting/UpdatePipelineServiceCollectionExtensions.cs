using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace UpdateFunctions.Functions.Hosting;

public static class UpdatePipelineServiceCollectionExtensions
{
    /// <summary>The one composition root, shared by the Functions app and LocalHost.</summary>
    public static IServiceCollection AddUpdatePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
