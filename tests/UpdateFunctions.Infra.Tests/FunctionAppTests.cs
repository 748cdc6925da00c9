namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppTests(InfraFixture infra)
{
    private const string Module = "functions";

    private JsonObject Site => infra.SingleResource(Module, "Microsoft.Web/sites");

    private JsonNode FunctionAppConfig => Site["properties"]!["functionAppConfig"]!;

    [Fact]
    public void Plan_is_Flex_Consumption_FC1_on_Linux()
    {
        var plan = infra.SingleResource(Module, "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", Arm.Text(plan["sku"]!["name"]));
        Assert.Equal("FlexConsumption", Arm.Text(plan["sku"]!["tier"]));
        Assert.Equal("functionapp", Arm.Text(plan["kind"]));
        Assert.True(Arm.Bool(plan["properties"]!["reserved"]));
        Assert.Equal("functionapp,linux", Arm.Text(Site["kind"]));
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10()
    {
        Assert.Equal("dotnet-isolated", Arm.Text(Arm.At(FunctionAppConfig, "runtime", "name")));
        Assert.Equal("10.0", Arm.Text(Arm.At(FunctionAppConfig, "runtime", "version")));
    }

    [Fact]
    public void Function_app_has_a_system_assigned_identity_and_deploys_with_it()
    {
        Assert.Equal("SystemAssigned", Arm.Text(Arm.At(Site, "identity", "type")));
        var storage = Arm.At(FunctionAppConfig, "deployment", "storage");
        Assert.Equal("blobContainer", Arm.Text(storage?["type"]));
        Assert.Equal("SystemAssignedIdentity", Arm.Text(Arm.At(storage, "authentication", "type")));
        Assert.Contains("deploymentContainerUrl", Arm.Text(infra.ModuleArgument(Module, "deploymentContainerUrl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Function_app_is_HTTPS_only_with_TLS_1_2_and_no_FTP()
    {
        var properties = Site["properties"]!;
        Assert.True(Arm.Bool(properties["httpsOnly"]));
        Assert.Equal("1.2", Arm.Text(Arm.At(properties, "siteConfig", "minTlsVersion")));
        Assert.Equal("1.2", Arm.Text(Arm.At(properties, "siteConfig", "scmMinTlsVersion")));
        Assert.Equal("Disabled", Arm.Text(Arm.At(properties, "siteConfig", "ftpsState")));
    }

    [Fact]
    public void Basic_auth_publishing_is_disabled_for_ftp_and_scm()
    {
        var policies = infra.ResourcesOf(Module, "Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False(Arm.Bool(policy["properties"]!["allow"]) ?? true));
    }

    [Fact]
    public void Scale_settings_come_from_parameters()
    {
        var scale = FunctionAppConfig["scaleAndConcurrency"]!;
        Assert.Equal("[parameters('instanceMemoryMB')]", Arm.Text(scale["instanceMemoryMB"]));
        Assert.Equal("[parameters('maximumInstanceCount')]", Arm.Text(scale["maximumInstanceCount"]));
        var alwaysReady = Arm.Text(scale["alwaysReady"]);
        Assert.Contains("'http'", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("parameters('alwaysReadyHttpInstanceCount')", alwaysReady, StringComparison.Ordinal);
        foreach (var parameter in new[] { "instanceMemoryMB", "maximumInstanceCount", "alwaysReadyHttpInstanceCount" })
            Assert.Equal($"[parameters('{parameter}')]", Arm.Text(infra.ModuleArgument(Module, parameter)));
    }

    [Fact]
    public void Function_app_is_tagged_as_the_azd_api_service()
    {
        Assert.Contains("'azd-service-name', 'api'", Arm.Text(infra.ModuleArgument(Module, "appTags")), StringComparison.Ordinal);
        Assert.Equal("[parameters('appTags')]", Arm.Text(Site["tags"]));
    }
}
