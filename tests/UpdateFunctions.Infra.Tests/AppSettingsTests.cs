namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class AppSettingsTests(InfraFixture infra)
{
    private const string Module = "appsettings";

    /// <summary>What the code binds (options sections use <c>__</c>) and the Functions host needs.</summary>
    private static readonly string[] ExpectedNames =
    [
        "AzureWebJobsStorage__accountName",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Storage__TableServiceUri",
        "Storage__BlobServiceUri",
        "Storage__BundlesContainer",
        "Storage__BundleBaseUrl",
        "Storage__SnapshotRefreshInterval",
        "EventHubs__FullyQualifiedNamespace",
        "EventHubs__EventHubName",
        "EventHubs__ConsumerGroup",
        "ROLLOUT_ADVANCE_SCHEDULE",
    ];

    private JsonObject Settings => Arm.At(infra.ModuleTemplate(Module), "variables", "settings")!.AsObject();

    private string SettingsExpression =>
        Arm.Text(infra.SingleResource(Module, "Microsoft.Web/sites/config")["properties"])!;

    [Fact]
    public void App_settings_are_exactly_the_names_the_code_reads()
    {
        var config = infra.SingleResource(Module, "Microsoft.Web/sites/config");
        Assert.Contains("'appsettings')", Arm.Text(config["name"]), StringComparison.Ordinal);
        Assert.Equal(ExpectedNames.Order(StringComparer.Ordinal), Settings.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal(
            "[if(empty(parameters('managementBootstrapKey')), variables('settings'), union(variables('settings'), createObject('Management__BootstrapKey', parameters('managementBootstrapKey'))))]",
            SettingsExpression);
    }

    [Fact]
    public void App_settings_use_identities_and_no_connection_strings_or_keys()
    {
        Assert.Equal("[parameters('storageAccountName')]", Arm.Text(Settings["AzureWebJobsStorage__accountName"]));
        Assert.Equal("Authorization=AAD", Arm.Text(Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]));
        Assert.DoesNotContain(Settings, pair => pair.Key.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Settings, pair => pair.Key is "AzureWebJobsStorage" or "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION");
        var text = Settings.ToJsonString();
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void App_settings_carry_the_fixed_values_the_pipeline_expects()
    {
        Assert.Equal("00:00:10", Arm.Text(Settings["Storage__SnapshotRefreshInterval"]));
        Assert.Equal("bundles", Arm.Text(Arm.At(infra.ModuleTemplate("storage"), "parameters", "bundlesContainerName", "defaultValue")));
        Assert.Equal("0 */5 * * * *", Arm.Text(infra.ModuleArgument(Module, "rolloutAdvanceSchedule")));
        Assert.Equal("telemetry", Arm.Text(infra.ModuleArgument("eventhubs", "eventHubName")));
        Assert.Equal("aggregator", Arm.Text(infra.ModuleArgument("eventhubs", "consumerGroupName")));
    }

    [Fact]
    public void App_settings_point_at_the_deployed_resources()
    {
        Assert.Contains("outputs.bundlesContainerName", Arm.Text(infra.ModuleArgument(Module, "bundlesContainerName")), StringComparison.Ordinal);
        Assert.Contains("outputs.tableServiceUri", Arm.Text(infra.ModuleArgument(Module, "tableServiceUri")), StringComparison.Ordinal);
        Assert.Contains("outputs.blobServiceUri", Arm.Text(infra.ModuleArgument(Module, "blobServiceUri")), StringComparison.Ordinal);
        Assert.Contains("outputs.fullyQualifiedNamespace", Arm.Text(infra.ModuleArgument(Module, "eventHubsFullyQualifiedNamespace")), StringComparison.Ordinal);
        Assert.Contains("outputs.eventHubName", Arm.Text(infra.ModuleArgument(Module, "eventHubName")), StringComparison.Ordinal);
        Assert.Contains("outputs.consumerGroupName", Arm.Text(infra.ModuleArgument(Module, "consumerGroupName")), StringComparison.Ordinal);

        // Devices download <base>/{app}/{sha256}.zip from Front Door.
        var bundleBaseUrl = Arm.Text(infra.ModuleArgument(Module, "bundleBaseUrl"))!;
        Assert.StartsWith("[format('https://{0}/bundles', ", bundleBaseUrl, StringComparison.Ordinal);
        Assert.Contains("'frontdoor'", bundleBaseUrl, StringComparison.Ordinal);
        Assert.Contains("outputs.endpointHostName", bundleBaseUrl, StringComparison.Ordinal);

        var storageOutputs = infra.ModuleTemplate("storage")["outputs"]!;
        Assert.Equal("[format('https://{0}.table.{1}', parameters('name'), environment().suffixes.storage)]", Arm.Text(storageOutputs["tableServiceUri"]!["value"]));
        Assert.Equal("[format('https://{0}.blob.{1}', parameters('name'), environment().suffixes.storage)]", Arm.Text(storageOutputs["blobServiceUri"]!["value"]));
    }

    [Fact]
    public void Management_bootstrap_key_is_secure_optional_and_never_output()
    {
        Assert.Equal("securestring", Arm.Text(Arm.At(infra.Template, "parameters", "managementBootstrapKey", "type")));
        Assert.Equal("", Arm.Text(Arm.At(infra.Template, "parameters", "managementBootstrapKey", "defaultValue")));
        Assert.Equal("securestring", Arm.Text(Arm.At(infra.ModuleTemplate(Module), "parameters", "managementBootstrapKey", "type")));
        Assert.DoesNotContain("Management__BootstrapKey", Settings.Select(pair => pair.Key));
        foreach (var (name, template) in infra.AllTemplates())
        {
            var outputs = template["outputs"]?.ToJsonString() ?? "";
            Assert.False(outputs.Contains("managementBootstrapKey", StringComparison.OrdinalIgnoreCase), $"{name} outputs the bootstrap key");
        }
    }
}
