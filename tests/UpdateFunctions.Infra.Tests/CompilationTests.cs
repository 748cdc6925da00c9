using System.Text.Json;
using System.Text.RegularExpressions;

namespace UpdateFunctions.Infra.Tests;

/// <summary>The templates compile and lint with zero diagnostics, and follow the house rules for parameters and outputs.</summary>
[Collection(InfraGroup.Name)]
public sealed partial class CompilationTests(InfraFixture infra)
{
    [Fact]
    public void Main_template_builds_without_diagnostics()
    {
        Assert.Equal(0, infra.Build.ExitCode);
        Assert.Equal("", infra.Build.StandardError.Trim());
    }

    [Fact]
    public void Main_template_and_its_modules_lint_without_diagnostics()
    {
        Assert.Equal(0, infra.Lint.ExitCode);
        Assert.Equal("", infra.Lint.Diagnostics);
    }

    [Fact]
    public void Parameters_file_builds_without_diagnostics()
    {
        Assert.Equal(0, infra.BuildParams.ExitCode);
        Assert.Equal("", infra.BuildParams.StandardError.Trim());
        using var output = JsonDocument.Parse(infra.BuildParams.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.String("parametersJson"));
        Assert.Equal("updatefunctions", parameters.RootElement.String("parameters", "environmentName", "value"));
    }

    [Fact]
    public void Snapshots_evaluate_without_diagnostics()
    {
        Assert.Equal("", infra.DefaultSnapshotRun.Diagnostics);
        Assert.Equal("", infra.AlternativeSnapshotRun.Diagnostics);
    }

    [Fact]
    public void Every_parameter_is_typed_and_described_as_required_or_optional()
    {
        foreach (var template in infra.Template.Modules.Prepend(infra.Template))
        {
            foreach (var parameter in template.Parameters.EnumerateObject())
            {
                Assert.True(parameter.Value.At("type").ValueKind == JsonValueKind.String, $"{parameter.Name} has no type");
                var description = parameter.Value.String("metadata", "description");
                Assert.True(
                    description.StartsWith("Required. ", StringComparison.Ordinal) || description.StartsWith("Optional. ", StringComparison.Ordinal),
                    $"Parameter {parameter.Name}: '{description}' should start with 'Required. ' or 'Optional. '.");
            }
        }
    }

    [Fact]
    public void Outputs_of_main_are_upper_snake_case_for_azd()
    {
        var names = infra.Template.Outputs.EnumerateObject().Select(output => output.Name).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Matches(UpperSnakeCase(), name));
        Assert.Subset(names.ToHashSet(), new HashSet<string>
        {
            "FUNCTION_BASE_URL", "DEVICE_API_BASE_URL", "CDN_ENDPOINT_URL", "BUNDLE_BASE_URL", "STORAGE_ACCOUNT_NAME",
            "EVENT_HUBS_NAMESPACE", "AZURE_FUNCTION_APP_NAME", "AZURE_RESOURCE_GROUP",
        });
    }

    [Fact]
    public void Bootstrap_key_is_a_secure_parameter_that_no_output_reveals()
    {
        Assert.Equal("securestring", infra.Template.Parameters.String("managementBootstrapKey", "type"));
        var (_, appSettings) = infra.Template.Module("appsettings");
        Assert.Equal("securestring", appSettings.Parameters.String("managementBootstrapKey", "type"));
        foreach (var template in infra.Template.Modules.Prepend(infra.Template))
            Assert.DoesNotContain("managementBootstrapKey", template.Outputs.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-a-real-key", infra.Alternative.Outputs.ToString(), StringComparison.Ordinal);
        Assert.All(infra.Alternative.Resources, resource => Assert.DoesNotContain("not-a-real-key", resource.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Templates_use_local_modules_only()
    {
        var files = Directory.EnumerateFiles(InfraFixture.InfraDirectory, "*.bicep*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.DoesNotMatch(RegistryReference(), File.ReadAllText(file));
    }

    [Theory]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("secure-parameter-default")]
    [InlineData("secure-params-in-nested-deploy")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("no-hardcoded-location")]
    [InlineData("use-stable-resource-identifiers")]
    [InlineData("no-unused-params")]
    public void Linter_config_raises_important_rules_to_errors(string rule)
    {
        using var config = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(InfraFixture.InfraDirectory, "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.Equal("error", config.RootElement.String("analyzers", "core", "rules", rule, "level"));
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnakeCase();

    [GeneratedRegex(@"['""]br[:/]")]
    private static partial Regex RegistryReference();
}
