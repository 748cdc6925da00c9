using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Functions.Routing;

namespace UpdateFunctions.Functions.Tests.Routing;

/// <summary>What the Functions app answers to a request none of its other functions takes.</summary>
public sealed class HttpRouteTableTests
{
    private static (int Status, string Error, string? Allow) Answer(string method, string path)
    {
        var response = HttpRouteTable.Answer(method, new PathString(path), out var allow);
        using var body = JsonDocument.Parse(response.Body);
        return (response.StatusCode, body.RootElement.GetProperty("error").GetString()!, allow);
    }

    [Fact]
    public void An_unknown_path_is_404_not_found()
    {
        Assert.Equal((404, "not_found", null), Answer("GET", "/api/nothing"));
        Assert.Equal((404, "not_found", null), Answer("POST", "/api/updates/manifest_size"));
    }

    [Fact]
    public void A_known_route_with_another_method_is_405_naming_the_methods_it_takes()
    {
        Assert.Equal((405, "method_not_allowed", "POST"), Answer("GET", "/api/updates"));
        Assert.Equal((405, "method_not_allowed", "GET, PATCH"), Answer("DELETE", "/api/v1/apps/com.demo.app"));
    }

    [Fact]
    public void The_fallback_takes_every_method_on_a_catch_all_route_so_the_host_sends_it_what_no_other_function_takes()
    {
        var trigger = typeof(FallbackFunction).GetMethod(nameof(FallbackFunction.Run))!.GetParameters()
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;

        Assert.Equal("{*path}", trigger.Route);
        Assert.Equal(["delete", "get", "head", "options", "patch", "post", "put"], trigger.Methods!.Order(StringComparer.Ordinal));
    }
}
