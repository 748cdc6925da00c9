using UpdateFunctions.Testing;

namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class DeploymentDocsTests(InfraFixture infra)
{
    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_the_api_service()
    {
        var yaml = File.ReadAllText(RepoPaths.Combine("azure.yaml"));
        Assert.Contains("  api:\n    project: ./functions/UpdateFunctions.Functions\n    language: dotnet\n    host: function\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(Directory.Exists(RepoPaths.Combine("functions", "UpdateFunctions.Functions")));
        Assert.Contains("path: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("module: main", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_yaml_refuses_to_package_without_the_real_Event_Hubs_extension()
    {
        var yaml = File.ReadAllText(RepoPaths.Combine("azure.yaml"));
        Assert.Contains("prepackage:", yaml, StringComparison.Ordinal);
        Assert.Contains("${UseEventHubsExtension:-}", yaml, StringComparison.Ordinal);
        Assert.Contains("$env:UseEventHubsExtension", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_guide_lists_every_app_setting_the_template_writes()
    {
        var guide = File.ReadAllText(RepoPaths.Combine("docs", "deploy.md"));
        var settings = Arm.At(infra.ModuleTemplate("appsettings"), "variables", "settings")!.AsObject().Select(pair => pair.Key)
            .Append("Management__BootstrapKey");
        Assert.All(settings, setting => Assert.Contains($"| `{setting}` |", guide, StringComparison.Ordinal));
    }
}
