namespace UpdateFunctions.Infra.Tests;

[Collection(InfraGroup.Name)]
public sealed class FunctionAppTests(InfraFixture infra)
{
    private const string Site = "Microsoft.Web/sites";

    /// <summary>The settings the code reads (Section__Key), identity-based: no connection strings, no keys.</summary>
    private static readonly string[] ExpectedSettings =
    [
        "AzureWebJobsStorage__accountName",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Storage__TableServiceUri",
        "Storage__BlobServiceUri",
        "Storage__BundlesContainer",
        "Storage__StagingContainer",
        "Storage__BundleBaseUrl",
        "Storage__SnapshotRefreshInterval",
        "Storage__SignedUrls__Enabled",
        "Storage__SignedUrls__Lifetime",
        "EventHubs__fullyQualifiedNamespace",
        "EventHubs__EventHubName",
        "EventHubs__ConsumerGroup",
        "Retention__HourlyMetricsDays",
        "Retention__DailyMetricsMonths",
        "Retention__AuditDays",
        "ROLLOUT_ADVANCE_SCHEDULE",
        "RETENTION_SCHEDULE",
        "UPLOAD_CLEANUP_SCHEDULE",
    ];

    [Fact]
    public void Plan_is_flex_consumption_fc1_on_linux()
    {
        var plan = infra.Default.One("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.String("sku", "name"));
        Assert.Equal("FlexConsumption", plan.String("sku", "tier"));
        Assert.True(plan.Bool("properties", "reserved"));
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10()
    {
        var site = infra.Default.One(Site);
        Assert.Equal("functionapp,linux", site.String("kind"));
        Assert.Equal("dotnet-isolated", site.String("properties", "functionAppConfig", "runtime", "name"));
        Assert.Equal("10.0", site.String("properties", "functionAppConfig", "runtime", "version"));
    }

    [Fact]
    public void Function_app_has_a_system_assigned_identity()
    {
        Assert.Equal("SystemAssigned", infra.Default.One(Site).String("identity", "type"));
    }

    [Fact]
    public void Function_app_is_https_only_with_tls_1_2_and_no_ftp()
    {
        var site = infra.Default.One(Site);
        Assert.True(site.Bool("properties", "httpsOnly"));
        Assert.Equal("1.2", site.String("properties", "siteConfig", "minTlsVersion"));
        Assert.Equal("1.2", site.String("properties", "siteConfig", "scmMinTlsVersion"));
        Assert.Equal("Disabled", site.String("properties", "siteConfig", "ftpsState"));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_auth_publishing_is_disabled(string policy)
    {
        var credentials = infra.Default.One("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "/" + policy);
        Assert.False(credentials.Bool("properties", "allow"));
    }

    [Fact]
    public void Deployment_package_is_read_with_the_system_assigned_identity()
    {
        var storage = infra.Default.One(Site).At("properties", "functionAppConfig", "deployment", "storage");
        Assert.Equal("blobContainer", storage.String("type"));
        Assert.Equal("SystemAssignedIdentity", storage.String("authentication", "type"));
        Assert.Contains("'app-package-func-", storage.String("value"), StringComparison.Ordinal);
    }

    [Fact]
    public void Scale_follows_the_parameters_and_scales_to_zero_by_default()
    {
        var scale = infra.Default.One(Site).At("properties", "functionAppConfig", "scaleAndConcurrency");
        Assert.Equal(2048, scale.Int("instanceMemoryMB"));
        Assert.Equal(100, scale.Int("maximumInstanceCount"));
        Assert.Empty(scale.Array("alwaysReady"));

        var alternative = infra.Alternative.One(Site).At("properties", "functionAppConfig", "scaleAndConcurrency");
        Assert.Equal(4096, alternative.Int("instanceMemoryMB"));
        Assert.Equal(200, alternative.Int("maximumInstanceCount"));
        var alwaysReady = Assert.Single(alternative.Array("alwaysReady"));
        Assert.Equal("http", alwaysReady.String("name"));
        Assert.Equal(2, alwaysReady.Int("instanceCount"));
    }

    [Fact]
    public void Function_app_is_tagged_for_azd_service_api()
    {
        var tags = infra.Default.One(Site).At("tags");
        Assert.Equal("api", tags.String("azd-service-name"));
        Assert.Equal("updatefunctions", tags.String("azd-env-name"));
    }

    [Fact]
    public void App_settings_have_exactly_the_names_the_code_reads()
    {
        var (_, module) = infra.Template.Module("appsettings");
        Assert.Equal(ExpectedSettings.Order(StringComparer.Ordinal), module.Variables.Names("settings").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", module.Root.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void App_settings_connect_with_the_managed_identity_only()
    {
        var (_, module) = infra.Template.Module("appsettings");
        var settings = module.Variables.At("settings");
        Assert.Equal("Authorization=AAD", settings.String("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        foreach (var setting in settings.EnumerateObject())
        {
            var value = setting.Value.GetString() ?? "";
            Assert.DoesNotContain("AccountKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Bootstrap_key_setting_is_added_only_when_a_key_is_given()
    {
        var (_, module) = infra.Template.Module("appsettings");
        var config = Assert.Single(module.Resources, resource => resource.String("type") == "Microsoft.Web/sites/config");
        Assert.Equal(
            "[if(empty(parameters('managementBootstrapKey')), variables('settings'), union(variables('settings'), createObject('Management__BootstrapKey', parameters('managementBootstrapKey'))))]",
            config.String("properties"));
        Assert.Equal("", infra.Template.Parameters.String("managementBootstrapKey", "defaultValue"));
    }

    [Fact]
    public void Setting_values_come_from_the_deployed_resources()
    {
        var (deployment, _) = infra.Template.Module("appsettings");
        string Value(string parameter) => deployment.String("properties", "parameters", parameter, "value");

        Assert.Contains("'frontdoor'", Value("bundleBaseUrl"), StringComparison.Ordinal);
        Assert.Contains("endpointHostName", Value("bundleBaseUrl"), StringComparison.Ordinal);
        Assert.Contains("variables('bundlesContainerName')", Value("bundleBaseUrl"), StringComparison.Ordinal);
        Assert.Equal("bundles", infra.Template.Variables.String("bundlesContainerName"));
        Assert.Contains("fullyQualifiedNamespace", Value("eventHubsFullyQualifiedNamespace"), StringComparison.Ordinal);
        Assert.Contains("tableServiceUri", Value("tableServiceUri"), StringComparison.Ordinal);
        Assert.Contains("blobServiceUri", Value("blobServiceUri"), StringComparison.Ordinal);
        Assert.Equal("telemetry", infra.Template.Variables.String("eventHubName"));
        Assert.Equal("aggregator", infra.Template.Variables.String("eventHubConsumerGroup"));
        Assert.Equal("0 */5 * * * *", infra.Template.Parameters.String("rolloutAdvanceSchedule", "defaultValue"));
        Assert.Equal("00:00:10", infra.Template.Parameters.String("snapshotRefreshInterval", "defaultValue"));
    }

    [Fact]
    public void Signed_bundle_urls_are_off_by_default_and_turned_on_by_a_parameter()
    {
        // The settings object holds deployment-time values, so a snapshot cannot evaluate it: read the template.
        var (deployment, module) = infra.Template.Module("appsettings");
        string Value(string parameter) => deployment.String("properties", "parameters", parameter, "value");

        Assert.False(infra.Template.Parameters.Bool("signedBundleUrls", "defaultValue"));
        Assert.Equal("00:15:00", infra.Template.Parameters.String("signedBundleUrlLifetime", "defaultValue"));
        Assert.Equal("[parameters('signedBundleUrls')]", Value("signedUrlsEnabled"));
        Assert.Equal("[parameters('signedBundleUrlLifetime')]", Value("signedUrlLifetime"));
        Assert.Equal("[if(parameters('signedUrlsEnabled'), 'true', 'false')]", module.Variables.String("settings", "Storage__SignedUrls__Enabled"));
        Assert.Equal("[parameters('signedUrlLifetime')]", module.Variables.String("settings", "Storage__SignedUrls__Lifetime"));
        Assert.Contains("signedBundleUrls", infra.BuildParams.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(infra.AlternativeSnapshotRun.Diagnostics);
    }

    [Fact]
    public void Storage_uris_are_the_account_endpoints_without_a_trailing_slash()
    {
        var (_, storage) = infra.Template.Module("storage");
        Assert.Equal("[format('https://{0}.table.{1}', parameters('name'), environment().suffixes.storage)]", storage.Outputs.String("tableServiceUri", "value"));
        Assert.Equal("[format('https://{0}.blob.{1}', parameters('name'), environment().suffixes.storage)]", storage.Outputs.String("blobServiceUri", "value"));
    }

    [Fact]
    public void Device_api_url_follows_the_route_choice()
    {
        Assert.Contains("Microsoft.Web/sites", infra.Default.Outputs.String("DEVICE_API_BASE_URL"), StringComparison.Ordinal);
        Assert.Contains("afdEndpoints", infra.Alternative.Outputs.String("DEVICE_API_BASE_URL"), StringComparison.Ordinal);
        Assert.StartsWith("[format('{0}/api', ", infra.Default.Outputs.String("DEVICE_API_BASE_URL"), StringComparison.Ordinal);
    }
}
