using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace UpdateFunctions.DeviceSimulator.Tests.Support;

/// <summary>
/// A middleware in front of LocalHost's functions that answers 3 of every 10 update checks itself, alternately 429
/// (our rate limit) and 503 (our storage outage), both with <c>Retry-After: 0</c>: what a device sees when the service,
/// not the bundle, is in trouble.
/// </summary>
public sealed class FailingChecks : IStartupFilter
{
    private long _checks;
    private long _failed;

    /// <summary>Checks answered by the middleware.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, call) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/updates"))
            {
                var n = Interlocked.Increment(ref _checks);
                if (n % 10 is 1 or 4 or 7)
                {
                    Interlocked.Increment(ref _failed);
                    context.Response.StatusCode = n % 20 < 10 ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "0";
                    await context.Response.WriteAsJsonAsync(new { error = "test_outage", message = "answered by the test" });
                    return;
                }
            }
            await call(context);
        });
        next(app);
    };
}
