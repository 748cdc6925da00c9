using System.Text.Json;

namespace UpdateFunctions.Infra.Tests;

/// <summary>A compiled ARM template: main.bicep, or the template of one of its modules (a nested deployment).</summary>
public sealed class ArmTemplate(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public JsonElement Parameters => Root.At("parameters");

    public JsonElement Variables => Root.At("variables");

    public JsonElement Outputs => Root.At("outputs");

    /// <summary>Resources, whether the template lists them (language version 1) or names them (language version 2).</summary>
    public IEnumerable<JsonElement> Resources => Root.At("resources") switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        { ValueKind: JsonValueKind.Object } map => map.EnumerateObject().Select(property => property.Value),
        _ => [],
    };

    /// <summary>The module deployed as <paramref name="deploymentName"/>: its deployment resource and its template.</summary>
    public (JsonElement Deployment, ArmTemplate Template) Module(string deploymentName)
    {
        var deployment = Assert.Single(Resources, resource =>
            resource.String("type") == "Microsoft.Resources/deployments" && resource.String("name") == deploymentName);
        return (deployment, new ArmTemplate(deployment.At("properties", "template")));
    }

    /// <summary>Every module template, however deep.</summary>
    public IEnumerable<ArmTemplate> Modules => Resources
        .Where(resource => resource.String("type") == "Microsoft.Resources/deployments")
        .Select(resource => new ArmTemplate(resource.At("properties", "template")))
        .SelectMany(module => module.Modules.Prepend(module));
}
