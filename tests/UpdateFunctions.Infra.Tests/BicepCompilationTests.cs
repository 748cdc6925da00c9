using System.Text.RegularExpressions;

namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class BicepCompilationTests(InfraFixture infra)
{
    [Fact]
    public void Bicep_build_of_main_succeeds_without_any_diagnostic()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.ToString());
        Assert.True(infra.Build.StandardError.Trim().Length == 0, infra.Build.ToString());
    }

    [Fact]
    public void Bicep_lint_of_main_reports_nothing()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.ToString());
        Assert.True((infra.Lint.StandardError + infra.Lint.StandardOutput).Trim().Length == 0, infra.Lint.ToString());
    }

    [Fact]
    public void Bicep_build_params_of_main_bicepparam_succeeds_without_any_diagnostic()
    {
        Assert.True(infra.BuildParams.ExitCode == 0, infra.BuildParams.ToString());
        Assert.True(infra.BuildParams.StandardError.Trim().Length == 0, infra.BuildParams.ToString());
    }

    [Fact]
    public void Main_deploys_at_subscription_scope_and_creates_its_resource_group()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", Arm.Text(infra.Template["$schema"]), StringComparison.Ordinal);
        Assert.Single(InfraFixture.Resources(infra.Template), resource => Arm.Text(resource["type"]) == "Microsoft.Resources/resourceGroups");
    }

    [Theory]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("secure-parameter-default")]
    [InlineData("secure-params-in-nested-deploy")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("protect-commandtoexecute-secrets")]
    [InlineData("no-unused-params")]
    [InlineData("no-unused-vars")]
    [InlineData("use-resource-id-functions")]
    [InlineData("use-stable-resource-identifiers")]
    [InlineData("explicit-values-for-loc-params")]
    [InlineData("no-hardcoded-location")]
    public void Bicepconfig_raises_an_important_linter_rule_to_error(string rule)
    {
        using var config = InfraFixture.ReadJsonWithComments(Path.Combine(InfraFixture.InfraDirectory, "bicepconfig.json"));
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules");
        Assert.True(rules.TryGetProperty(rule, out var setting), $"bicepconfig.json does not configure {rule}.");
        Assert.Equal("error", setting.GetProperty("level").GetString());
    }

    [Fact]
    public void Every_parameter_is_typed_and_described_as_required_or_optional()
    {
        var problems = new List<string>();
        foreach (var (name, template) in infra.AllTemplates())
        {
            foreach (var (parameter, definition) in template["parameters"]?.AsObject() ?? [])
            {
                if (Arm.Text(definition?["type"]) is null)
                    problems.Add($"{name}.{parameter} has no type");
                var description = Arm.Text(Arm.At(definition, "metadata", "description"));
                if (description is null || !(description.StartsWith("Required. ", StringComparison.Ordinal) || description.StartsWith("Optional. ", StringComparison.Ordinal)))
                    problems.Add($"{name}.{parameter} is not described as 'Required. ...' or 'Optional. ...'");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Outputs_for_azd_are_upper_snake_case_and_name_what_the_cli_and_app_need()
    {
        var outputs = infra.Template["outputs"]!.AsObject().Select(pair => pair.Key).ToList();
        Assert.All(outputs, output => Assert.Matches(new Regex("^[A-Z][A-Z0-9_]*$"), output));
        string[] expected =
        [
            "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "FUNCTION_BASE_URL", "CDN_ENDPOINT", "BUNDLE_BASE_URL",
            "AZURE_STORAGE_ACCOUNT_NAME", "EVENT_HUBS_NAMESPACE", "CAPGO_UPDATE_URL", "CAPGO_STATS_URL", "CAPGO_CHANNEL_URL",
        ];
        Assert.All(expected, output => Assert.Contains(output, outputs));
    }

    [Fact]
    public void Templates_use_local_modules_only()
    {
        var files = Directory.EnumerateFiles(InfraFixture.InfraDirectory, "*.bicep*", SearchOption.AllDirectories);
        var registryReferences = files
            .SelectMany(file => File.ReadLines(file).Select(line => (file, line)))
            .Where(pair => Regex.IsMatch(pair.line, @"^\s*(module|import|extension)\b.*'(br|ts)[:/]"))
            .Select(pair => $"{Path.GetFileName(pair.file)}: {pair.line.Trim()}");
        Assert.Empty(registryReferences);
    }

    [Fact]
    public void Bicepparam_keeps_the_secure_defaults()
    {
        Assert.False(Arm.Bool(infra.Parameters["bundlesPublicRead"]?["value"]) ?? true, "bundlesPublicRead must default to false");
        Assert.False(Arm.Bool(infra.Parameters["enableApiRoute"]?["value"]) ?? true, "enableApiRoute must default to false");
        Assert.Equal("", Arm.Text(infra.Parameters["managementBootstrapKey"]?["value"]));
        Assert.Equal(0, Arm.Number(infra.Parameters["alwaysReadyHttpInstanceCount"]?["value"]));
    }
}
