using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using UpdateFunctions.Functions.Devices;
using UpdateFunctions.Functions.Routing;

namespace UpdateFunctions.LocalHost.Hosting;

internal static class LocalHostEndpoints
{
    /// <summary>Maps every HTTP function of the Functions app, plus the benchmark's empty endpoint when asked.</summary>
    public static WebApplication MapLocalHost(this WebApplication app)
    {
        var functions = FunctionRouteMapper.Discover(typeof(UpdatesFunction).Assembly);
        app.MapHttpFunctions(functions);
        app.MapReleaseConsole();

        // Under /api the Functions app's own FallbackFunction answers 404/405; elsewhere (only on LocalHost) the same
        // JSON shape, rather than Kestrel's empty body.
        app.UseStatusCodePages(context => context.HttpContext.Response.StatusCode is 404 or 405
            ? new DeviceResult(HttpRouteTable.Answer(context.HttpContext.Request.Method, context.HttpContext.Request.Path, out _))
                .ExecuteResultAsync(new ActionContext(context.HttpContext, new RouteData(), new ActionDescriptor()))
            : Task.CompletedTask);

        // Same server, same request shape, no work: the ceiling bench/wrk/run.sh divides by.
        if (app.Configuration.GetValue<bool>("LocalHost:BenchEndpoints"))
            app.MapPost("/_bench/empty", () => Results.Ok());

        app.Lifetime.ApplicationStarted.Register(() => LocalHostBanner.Print(app, functions));
        return app;
    }
}
