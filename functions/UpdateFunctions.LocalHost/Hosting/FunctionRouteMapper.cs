using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.LocalHost.Hosting;

/// <summary>
/// Maps every <c>[Function]</c> with an <c>[HttpTrigger]</c> of the Functions assembly to a Kestrel route, read
/// from the attribute itself, so the cloud and local routes cannot drift. Function classes are created per
/// request through DI, as the Functions host does.
/// </summary>
internal static class FunctionRouteMapper
{
    /// <summary>The Functions host's default <c>routePrefix</c>.</summary>
    public const string RoutePrefix = "api";

    public static IReadOnlyList<HttpFunction> Discover(Assembly functionsAssembly) =>
        [.. functionsAssembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(method => (method, function: method.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.function is not null)
            .Select(x => (x.method, x.function, trigger: x.method.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.trigger is not null)
            .Select(x => new HttpFunction(
                x.function!.Name,
                $"/{RoutePrefix}/{x.trigger!.Route ?? x.function.Name}",
                [.. (x.trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
                x.method))
            .OrderBy(f => f.Route, StringComparer.Ordinal)];

    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<HttpFunction> functions)
    {
        foreach (var function in functions)
        {
            var invoke = CreateInvoker(function.Method);
            endpoints.MapMethods(function.Route, function.HttpMethods, async context =>
            {
                var result = await invoke(context);
                await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            }).WithName(function.Name);
        }
        return endpoints;
    }

    private static Func<HttpContext, Task<IActionResult>> CreateInvoker(MethodInfo method)
    {
        var type = method.DeclaringType!;
        var factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
        var parameters = method.GetParameters();
        if (method.ReturnType != typeof(Task<IActionResult>))
            throw new InvalidOperationException($"{type.Name}.{method.Name} must return Task<IActionResult> to run on LocalHost.");

        return context =>
        {
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameterType = parameters[i].ParameterType;
                arguments[i] = parameterType == typeof(HttpRequest) ? context.Request
                    : parameterType == typeof(CancellationToken) ? context.RequestAborted
                    : context.RequestServices.GetRequiredService(parameterType);
            }
            var instance = factory(context.RequestServices, null);
            return (Task<IActionResult>)method.Invoke(instance, arguments)!;
        };
    }
}

/// <summary>An HTTP-triggered function as LocalHost serves it.</summary>
internal sealed record HttpFunction(string Name, string Route, string[] HttpMethods, MethodInfo Method);
