using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Functions.Devices;
using UpdateFunctions.LocalHost.Hosting;

namespace UpdateFunctions.LocalHost.Tests.Hosting;

public sealed class FunctionRouteMapperTests
{
    private static readonly Assembly Functions = typeof(UpdatesFunction).Assembly;

    [Fact]
    public void Discovers_the_device_endpoints_with_their_cloud_routes_and_methods()
    {
        var routes = FunctionRouteMapper.Discover(Functions)
            .Select(f => $"{string.Join(',', f.HttpMethods)} {f.Route}")
            .ToList();

        Assert.Contains("POST /api/updates", routes);
        Assert.Contains("POST /api/stats", routes);
        Assert.Contains("POST /api/channel_self", routes);
        Assert.Contains("PUT /api/channel_self", routes);
        Assert.Contains("DELETE /api/channel_self", routes);
        Assert.Contains("GET /api/channel_self", routes);
    }

    [Fact]
    public void Every_http_triggered_function_of_the_app_is_served_locally()
    {
        var httpFunctions = Functions.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null
                && m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order()
            .ToList();

        var mapped = FunctionRouteMapper.Discover(Functions).Select(f => f.Name).Order().ToList();

        Assert.NotEmpty(httpFunctions);
        Assert.Equal(httpFunctions, mapped);
    }
}
