namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class StorageTests(InfraFixture infra)
{
    private const string Module = "storage";

    private JsonNode Account => infra.SingleResource(Module, "Microsoft.Storage/storageAccounts")["properties"]!;

    [Fact]
    public void Storage_account_disallows_shared_key_access()
    {
        Assert.False(Arm.Bool(Account["allowSharedKeyAccess"]) ?? true);
        Assert.True(Arm.Bool(Account["defaultToOAuthAuthentication"]));
    }

    [Fact]
    public void Storage_account_requires_TLS_1_2_and_HTTPS()
    {
        Assert.Equal("TLS1_2", Arm.Text(Account["minimumTlsVersion"]));
        Assert.True(Arm.Bool(Account["supportsHttpsTrafficOnly"]));
    }

    [Fact]
    public void Blob_public_access_is_off_by_default()
    {
        // The only switch is bundlesPublicRead: false in main.bicep and main.bicepparam, passed straight through.
        Assert.False(Arm.Bool(Arm.At(infra.Template, "parameters", "bundlesPublicRead", "defaultValue")) ?? true);
        Assert.False(Arm.Bool(infra.Parameters["bundlesPublicRead"]?["value"]) ?? true);
        Assert.Equal("[parameters('bundlesPublicRead')]", Arm.Text(infra.ModuleArgument(Module, "bundlesPublicRead")));
        Assert.False(Arm.Bool(Arm.At(infra.ModuleTemplate(Module), "parameters", "bundlesPublicRead", "defaultValue")) ?? true);
        Assert.Equal("[parameters('bundlesPublicRead')]", Arm.Text(Account["allowBlobPublicAccess"]));
    }

    [Fact]
    public void Bundles_container_allows_at_most_single_blob_reads_and_only_when_asked()
    {
        var bundles = Container("bundlesContainerName");
        Assert.Equal("[if(parameters('bundlesPublicRead'), 'Blob', 'None')]", Arm.Text(bundles["properties"]!["publicAccess"]));
        Assert.Equal("bundles", Arm.Text(infra.ModuleArgument(Module, "bundlesContainerName")));
    }

    [Fact]
    public void Deployment_package_container_is_private()
    {
        var deployment = Container("deploymentContainerName");
        Assert.Equal("None", Arm.Text(deployment["properties"]!["publicAccess"]));
    }

    [Fact]
    public void Storage_account_has_the_table_and_queue_services()
    {
        Assert.Single(infra.ResourcesOf(Module, "Microsoft.Storage/storageAccounts/tableServices"));
        Assert.Single(infra.ResourcesOf(Module, "Microsoft.Storage/storageAccounts/queueServices"));
    }

    private JsonObject Container(string nameParameter)
    {
        var containers = infra.ResourcesOf(Module, "Microsoft.Storage/storageAccounts/blobServices/containers");
        return Assert.Single(containers, container =>
            Arm.Text(container["name"])!.Contains($"parameters('{nameParameter}')", StringComparison.Ordinal));
    }
}
