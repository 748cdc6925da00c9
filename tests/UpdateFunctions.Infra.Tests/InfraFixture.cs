using System.Text.Json;
using System.Text.RegularExpressions;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Infra.Tests;

/// <summary>
/// Runs <c>bicep build</c>, <c>bicep lint</c> and <c>bicep build-params</c> once for every test of the collection
/// and parses the compiled ARM JSON. Modules compile to nested deployments named like the module.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    public static string InfraDirectory => RepoPaths.Combine("infra");

    public BicepResult Build { get; private set; } = null!;
    public BicepResult Lint { get; private set; } = null!;
    public BicepResult BuildParams { get; private set; } = null!;

    /// <summary>The compiled main.bicep.</summary>
    public JsonObject Template { get; private set; } = null!;

    /// <summary>The <c>parameters</c> object compiled from main.bicepparam (with no environment variables set).</summary>
    public JsonObject Parameters { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // main.bicepparam reads azd's environment; the tests check its defaults, whatever the machine has set.
        var environment = Regex.Matches(
                File.ReadAllText(Path.Combine(InfraDirectory, "main.bicepparam")), @"readEnvironmentVariable\(\s*'([^']+)'")
            .Select(match => match.Groups[1].Value)
            .ToList();
        var build = BicepCli.RunAsync(InfraDirectory, environment, "build", "main.bicep", "--stdout");
        var lint = BicepCli.RunAsync(InfraDirectory, environment, "lint", "main.bicep");
        var buildParams = BicepCli.RunAsync(InfraDirectory, environment, "build-params", "main.bicepparam", "--stdout");
        Build = await build;
        Lint = await lint;
        BuildParams = await buildParams;

        if (Build.ExitCode == 0)
            Template = JsonNode.Parse(Build.StandardOutput)!.AsObject();
        if (BuildParams.ExitCode == 0)
        {
            var wrapper = JsonNode.Parse(BuildParams.StandardOutput)!;
            var parametersJson = wrapper["parametersJson"]!.GetValue<string>();
            Parameters = JsonNode.Parse(parametersJson)!["parameters"]!.AsObject();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The nested deployment of a module of main.bicep (its <c>properties</c> hold parameters and template).</summary>
    public JsonObject Module(string name)
    {
        Assert.True(Template is not null, Build.ToString());
        var module = Resources(Template).SingleOrDefault(resource =>
            Arm.Text(resource["type"]) == "Microsoft.Resources/deployments" && Arm.Text(resource["name"]) == name);
        Assert.True(module is not null, $"main.bicep has no module deployment named '{name}'.");
        return module;
    }

    public JsonObject ModuleTemplate(string name) => Module(name)["properties"]!["template"]!.AsObject();

    /// <summary>The value main.bicep passes to a module parameter (a literal or an ARM expression).</summary>
    public JsonNode? ModuleArgument(string module, string parameter)
    {
        var arguments = Module(module)["properties"]!["parameters"]!.AsObject();
        Assert.True(arguments.ContainsKey(parameter), $"main.bicep passes no '{parameter}' to module '{module}'.");
        return arguments[parameter]!["value"];
    }

    /// <summary>The resources of one type a module deploys.</summary>
    public IReadOnlyList<JsonObject> ResourcesOf(string module, string type) =>
        Resources(ModuleTemplate(module)).Where(resource => Arm.Text(resource["type"]) == type).ToList();

    public JsonObject SingleResource(string module, string type)
    {
        var resources = ResourcesOf(module, type);
        Assert.True(resources.Count == 1, $"Module '{module}' deploys {resources.Count} resources of type {type}, expected 1.");
        return resources[0];
    }

    /// <summary>Every template: main.bicep and each module's.</summary>
    public IEnumerable<(string Name, JsonObject Template)> AllTemplates()
    {
        yield return ("main", Template);
        foreach (var module in Resources(Template).Where(resource => Arm.Text(resource["type"]) == "Microsoft.Resources/deployments"))
            yield return (Arm.Text(module["name"])!, module["properties"]!["template"]!.AsObject());
    }

    /// <summary>The resources of a template, whether an array or (language version 2.0) an object by symbolic name.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(resource => resource!.AsObject()),
        JsonObject byName => byName.Select(pair => pair.Value!.AsObject()).Where(resource => resource["existing"] is null),
        _ => [],
    };

    public static JsonDocument ReadJsonWithComments(string path) => JsonDocument.Parse(
        File.ReadAllText(path),
        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "Infra (bicep runs once)";
}

/// <summary>Reads literal values out of ARM JSON; an ARM expression ("[...]") is returned as its text.</summary>
public static class Arm
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static int? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
            node = node is JsonObject obj ? obj[segment] : null;
        return node;
    }
}
