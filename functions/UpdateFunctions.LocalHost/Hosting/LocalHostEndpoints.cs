using UpdateFunctions.Functions.Devices;

namespace UpdateFunctions.LocalHost.Hosting;

internal static class LocalHostEndpoints
{
    /// <summary>Maps every HTTP function of the Functions app, plus the benchmark's empty endpoint when asked.</summary>
    public static WebApplication MapLocalHost(this WebApplication app)
    {
        var functions = FunctionRouteMapper.Discover(typeof(UpdatesFunction).Assembly);
        app.MapHttpFunctions(functions);
        app.MapReleaseConsole();

        // Same server, same request shape, no work: the ceiling bench/wrk/run.sh divides by.
        if (app.Configuration.GetValue<bool>("LocalHost:BenchEndpoints"))
            app.MapPost("/_bench/empty", () => Results.Ok());

        app.Lifetime.ApplicationStarted.Register(() => LocalHostBanner.Print(app, functions));
        return app;
    }
}
