using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Functions.Routing;

/// <summary>
/// The HTTP routes of this app as its <c>[HttpTrigger]</c> attributes declare them, for the answer to a request no
/// function takes: 405 with <c>Allow</c> when the path is a route and only the method is wrong, else 404, both in the
/// JSON error shape of every other answer.
/// </summary>
public static class HttpRouteTable
{
    /// <summary>The Functions host's default <c>routePrefix</c>.</summary>
    public const string RoutePrefix = "api";

    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string[] Methods)>> Routes = new(Discover);

    /// <summary>The 404 or 405 answer to <paramref name="method"/> <paramref name="path"/>.</summary>
    public static DeviceResponse Answer(string method, PathString path, out string? allow)
    {
        var methods = Routes.Value
            .Where(route => route.Matcher.TryMatch(path, new RouteValueDictionary()))
            .SelectMany(route => route.Methods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        allow = methods.Count == 0 ? null : string.Join(", ", methods);
        return allow is null
            ? DeviceResponse.Error(404, DeviceErrors.NotFound, $"There is no route {path}.")
            : DeviceResponse.Error(405, DeviceErrors.MethodNotAllowed, $"{path} does not take {method}; it takes {allow}.");
    }

    private static List<(TemplateMatcher, string[])> Discover() =>
        [.. typeof(HttpRouteTable).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(method => (function: method.GetCustomAttribute<FunctionAttribute>(), trigger: method.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.function is not null && x.trigger is not null && x.trigger.Route != FallbackFunction.Route)
            .Select(x => (
                new TemplateMatcher(TemplateParser.Parse($"{RoutePrefix}/{x.trigger!.Route ?? x.function!.Name}"), new RouteValueDictionary()),
                (x.trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray()))];
}
