using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Functions.ReleaseConsole;
using UpdateFunctions.Storage;

namespace UpdateFunctions.LocalHost.Hosting;

/// <summary>
/// Serves the release console at <c>/console/</c> with the Functions app's own <see cref="ConsoleFunction"/>, and lets
/// the browser upload bundles straight to Azurite (a CORS rule on the emulator's blob service, as the Bicep sets one
/// on the storage account).
/// </summary>
internal static partial class LocalHostConsole
{
    public const string Path = "/console/";

    public static WebApplication MapReleaseConsole(this WebApplication app)
    {
        app.MapMethods("/console/{**path}", ["GET", "HEAD"], ServeAsync);
        app.MapMethods("/console", ["GET", "HEAD"], ServeAsync);
        app.Lifetime.ApplicationStarted.Register(() => _ = AllowBrowserUploadsAsync(app.Services, app.Lifetime.ApplicationStopping));
        return app;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var function = ActivatorUtilities.CreateInstance<ConsoleFunction>(context.RequestServices);
        var result = await function.GetConsoleFile(context.Request, context.RequestAborted);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static async Task AllowBrowserUploadsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (string.IsNullOrEmpty(options.ConnectionString) || services.GetService<BlobServiceClient>() is not { } blobs)
            return;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalHostConsole));
        try
        {
            var properties = (await blobs.GetPropertiesAsync(cancellationToken)).Value;
            if (properties.Cors.Any(rule => rule.AllowedOrigins == "*" && rule.AllowedMethods.Contains("PUT", StringComparison.Ordinal)))
                return;
            properties.Cors.Add(new BlobCorsRule
            {
                AllowedOrigins = "*",
                AllowedMethods = "GET,HEAD,PUT,OPTIONS",
                AllowedHeaders = "*",
                ExposedHeaders = "*",
                MaxAgeInSeconds = 3600,
            });
            await blobs.SetPropertiesAsync(properties, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or OperationCanceledException)
        {
            LogCorsFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not allow browser uploads on the local blob service (CORS); the console's upload will fail")]
    private static partial void LogCorsFailed(ILogger logger, Exception exception);
}
