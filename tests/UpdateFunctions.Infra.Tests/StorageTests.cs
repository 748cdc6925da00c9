namespace UpdateFunctions.Infra.Tests;

[Collection(InfraGroup.Name)]
public sealed class StorageTests(InfraFixture infra)
{
    private const string Account = "Microsoft.Storage/storageAccounts";
    private const string Container = "Microsoft.Storage/storageAccounts/blobServices/containers";

    [Fact]
    public void Storage_account_disallows_shared_key_access()
    {
        Assert.False(infra.Default.One(Account).Bool("properties", "allowSharedKeyAccess"));
        Assert.False(infra.Alternative.One(Account).Bool("properties", "allowSharedKeyAccess"));
        Assert.True(infra.Default.One(Account).Bool("properties", "defaultToOAuthAuthentication"));
    }

    [Fact]
    public void Storage_account_requires_tls_1_2_and_https()
    {
        var account = infra.Default.One(Account);
        Assert.Equal("TLS1_2", account.String("properties", "minimumTlsVersion"));
        Assert.True(account.Bool("properties", "supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void Storage_account_disallows_blob_public_access_by_default()
    {
        Assert.False(infra.Default.One(Account).Bool("properties", "allowBlobPublicAccess"));
        Assert.All(infra.Default.OfType(Container), container => Assert.Equal("None", container.String("properties", "publicAccess")));
    }

    [Fact]
    public void Anonymous_bundle_access_opens_single_blobs_of_the_bundles_container_only()
    {
        Assert.True(infra.Alternative.One(Account).Bool("properties", "allowBlobPublicAccess"));
        Assert.Equal("Blob", infra.Alternative.One(Container, "/bundles").String("properties", "publicAccess"));
        var others = infra.Alternative.OfType(Container).Where(container => !container.String("name").EndsWith("/bundles", StringComparison.Ordinal));
        Assert.All(others, container => Assert.Equal("None", container.String("properties", "publicAccess")));
    }

    [Fact]
    public void Bundles_and_deployment_package_containers_exist()
    {
        infra.Default.One(Container, "/default/bundles");
        infra.Default.One(Container, "/default/app-package-func-" + infra.Default.Outputs.String("AZURE_FUNCTION_APP_NAME")["func-".Length..]);
    }

    [Fact]
    public void Uploads_in_progress_have_a_private_container_whose_leftovers_a_lifecycle_rule_deletes_after_a_day()
    {
        foreach (var template in new[] { infra.Default, infra.Alternative })
            Assert.Equal("None", template.One(Container, "/default/bundles-staging").String("properties", "publicAccess"));
        var rule = Assert.Single(infra.Default.One("Microsoft.Storage/storageAccounts/managementPolicies").Array("properties", "policy", "rules"));
        Assert.True(rule.Bool("enabled"));
        Assert.Equal(["bundles-staging/", "bundles/staging/"], rule.Array("definition", "filters", "prefixMatch").Select(p => p.GetString()));
        Assert.Equal(1, rule.Int("definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
    }

    [Fact]
    public void Browser_uploads_are_allowed_only_from_the_console_origins_given_and_only_to_put_blobs()
    {
        const string BlobService = "Microsoft.Storage/storageAccounts/blobServices";
        Assert.Empty(infra.Default.One(BlobService).Array("properties", "cors", "corsRules"));
        var rule = Assert.Single(infra.Alternative.One(BlobService).Array("properties", "cors", "corsRules"));
        Assert.Equal(["https://console.example.com"], rule.Array("allowedOrigins").Select(o => o.GetString()));
        Assert.Equal(["PUT", "OPTIONS"], rule.Array("allowedMethods").Select(o => o.GetString()));
    }

    [Theory]
    [InlineData("apps")]
    [InlineData("channels")]
    [InlineData("bundles")]
    [InlineData("devices")]
    [InlineData("segments")]
    [InlineData("rollouts")]
    [InlineData("metrics")]
    [InlineData("metricsdaily")]
    [InlineData("apikeys")]
    [InlineData("audit")]
    public void Table_of_the_storage_layout_exists(string table) =>
        infra.Default.One("Microsoft.Storage/storageAccounts/tableServices/tables", "/default/" + table);
}
