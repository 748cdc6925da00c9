using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UpdateFunctions.Functions.ReleaseConsole;

namespace UpdateFunctions.LocalHost.Hosting;

internal static class LocalHostBanner
{
    /// <summary>Tells the developer what is served and how to point the Capgo plugin at it.</summary>
    public static void Print(WebApplication app, IReadOnlyList<HttpFunction> functions)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var baseUrl = addresses?.FirstOrDefault() ?? LocalHostDefaults.DefaultUrl;
        Console.WriteLine();
        Console.WriteLine($"UpdateFunctions LocalHost listening on {baseUrl}");
        // The catch-all that answers 404/405 as JSON is no route to point anything at.
        foreach (var function in functions.Where(f => !f.Route.Contains("{*", StringComparison.Ordinal)))
            Console.WriteLine($"  {string.Join(',', function.HttpMethods),-7} {baseUrl}{function.Route}  ({function.Name})");
        Console.WriteLine();
        if (app.Services.GetService<LocalBootstrapKey>() is { Key: { } key } bootstrap)
        {
            Console.WriteLine(bootstrap.Kept
                ? $"Management API bootstrap key (kept from {bootstrap.FilePath}; delete the file for a new one):"
                : $"Management API bootstrap key (generated, saved to {bootstrap.FilePath}):");
            Console.WriteLine($"  {key}");
            Console.WriteLine($"  updatectl login {baseUrl} --key \"$(cat {bootstrap.FilePath})\"");
            Console.WriteLine();
        }
        Console.WriteLine(app.Services.GetRequiredService<ConsoleFiles>().IsBuilt
            ? $"Release console: {baseUrl}{LocalHostConsole.Path}  (sign in with the bootstrap key)"
            : "Release console: not built (npm ci && npm run build:console, then restart)");
        Console.WriteLine();
        Console.WriteLine("Capacitor config (capacitor.config.json → plugins.CapacitorUpdater):");
        Console.WriteLine($"  \"updateUrl\": \"{baseUrl}/api/updates\", \"statsUrl\": \"{baseUrl}/api/stats\", \"channelUrl\": \"{baseUrl}/api/channel_self\"");
        Console.WriteLine();
    }
}
