using Microsoft.Extensions.DependencyInjection;

namespace UpdateFunctions.Functions.ReleaseConsole;

public static class ReleaseConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddReleaseConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleFiles>();
        return services;
    }
}
