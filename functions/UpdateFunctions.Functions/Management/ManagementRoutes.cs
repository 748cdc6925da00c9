using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary>One management call: what the OpenAPI document says about it and what the edge enforces.</summary>
/// <param name="Function">The <c>[Function]</c> name serving it.</param>
/// <param name="Template">Route below <c>/api/</c>, from the function's <c>[HttpTrigger]</c>.</param>
/// <param name="Role">The least role allowed; null for the anonymous OpenAPI document.</param>
public sealed record ManagementRoute(
    string Function,
    string Method,
    string Template,
    ApiRole? Role,
    int SuccessStatus,
    Type? Request,
    Type? Response,
    string Summary);

/// <summary>
/// The route table of the management API, derived from the functions themselves: the source of the OpenAPI document
/// and of each call's required role.
/// </summary>
public static class ManagementRoutes
{
    public const string Apps = "v1/apps";
    public const string App = "v1/apps/{app}";
    public const string Channels = "v1/apps/{app}/channels";
    public const string Channel = "v1/apps/{app}/channels/{channel}";
    public const string ChannelBundle = "v1/apps/{app}/channels/{channel}/bundle";
    public const string Bundles = "v1/apps/{app}/bundles";
    public const string Bundle = "v1/apps/{app}/bundles/{version}";
    public const string BundleCommit = "v1/apps/{app}/bundles/{version}/commit";
    public const string Device = "v1/apps/{app}/devices/{deviceId}";
    public const string Keys = "v1/keys";
    public const string Key = "v1/keys/{id}";
    public const string Audit = "v1/audit";
    public const string Metrics = "v1/apps/{app}/metrics";
    public const string Segments = "v1/apps/{app}/segments";
    public const string Segment = "v1/apps/{app}/segments/{name}";
    public const string SegmentMatch = "v1/apps/{app}/segments/{name}/match";
    public const string Rollouts = "v1/apps/{app}/rollouts";
    public const string Rollout = "v1/apps/{app}/rollouts/{rollout}";
    public const string RolloutAction = "v1/apps/{app}/rollouts/{rollout}/{action}";
    public const string RolloutPercentage = "v1/apps/{app}/rollouts/{rollout}/percentage";
    public const string WhoAmI = "v1/whoami";
    public const string OpenApi = "v1/openapi.json";
    public const string CodePushReleases = "v1/apps/{app}/codepush/releases";
    public const string CodePushRelease = "v1/apps/{app}/codepush/releases/{channel}/{label}";
    public const string CodePushRollback = "v1/apps/{app}/codepush/channels/{channel}/rollback";
    public const string CodePushKeys = "v1/apps/{app}/codepush/keys";
    public const string CodePushKey = "v1/apps/{app}/codepush/keys/{id}";
    public const string CodePushKeyRotate = "v1/apps/{app}/codepush/keys/{id}/rotate";

    /// <summary>Every management call, read from the <c>[Function]</c>s under <c>v1/</c> of this assembly.</summary>
    public static IReadOnlyList<ManagementRoute> All { get; } = Discover(typeof(ManagementRoutes).Assembly);

    private static readonly Dictionary<string, ManagementRoute> ByFunction = All.ToDictionary(r => r.Function, StringComparer.Ordinal);

    /// <summary>The route served by the function named <paramref name="function"/>.</summary>
    public static ManagementRoute Of(string function) =>
        ByFunction.TryGetValue(function, out var route)
            ? route
            : throw new InvalidOperationException($"{function} is not a management function with [{nameof(ManagementOperationAttribute)}].");

    /// <summary>
    /// Method and template come from the <c>[HttpTrigger]</c> (as LocalHost maps them), the role and the documentation
    /// from <see cref="ManagementOperationAttribute"/>; a <c>v1/</c> function without one is a bug, refused here.
    /// </summary>
    internal static IReadOnlyList<ManagementRoute> Discover(Assembly assembly)
    {
        var routes = new List<ManagementRoute>();
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (function is null || trigger?.Route is not { } template || !template.StartsWith("v1/", StringComparison.Ordinal))
                continue;
            var operation = method.GetCustomAttribute<ManagementOperationAttribute>()
                ?? throw new InvalidOperationException($"{method.DeclaringType!.Name}.{method.Name} serves {template} without [{nameof(ManagementOperationAttribute)}].");
            if (trigger.Methods is not [var verb])
                throw new InvalidOperationException($"{method.DeclaringType!.Name}.{method.Name} must answer exactly one HTTP method.");
            routes.Add(new ManagementRoute(function.Name, verb.ToLowerInvariant(), template, operation.Role, operation.Status,
                operation.Request, operation.Response, operation.Summary));
        }
        return [.. routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => MethodOrder(r.Method))];
    }

    private static int MethodOrder(string method) => Array.IndexOf(["get", "post", "put", "patch", "delete"], method);
}
