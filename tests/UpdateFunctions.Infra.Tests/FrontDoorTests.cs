using System.Text.Json;

namespace UpdateFunctions.Infra.Tests;

[Collection(InfraGroup.Name)]
public sealed class FrontDoorTests(InfraFixture infra)
{
    private const string Profile = "Microsoft.Cdn/profiles";
    private const string Route = "Microsoft.Cdn/profiles/afdEndpoints/routes";
    private const string OriginGroup = "Microsoft.Cdn/profiles/originGroups";

    [Fact]
    public void Front_door_is_the_standard_tier()
    {
        Assert.Equal("Standard_AzureFrontDoor", infra.Default.One(Profile).String("sku", "name"));
    }

    [Fact]
    public void Bundles_route_caches_and_ignores_query_strings()
    {
        var route = infra.Default.One(Route, "/bundles");
        Assert.Equal(["/bundles/*"], route.Array("properties", "patternsToMatch").Select(pattern => pattern.GetString()));
        Assert.Equal("IgnoreQueryString", route.String("properties", "cacheConfiguration", "queryStringCachingBehavior"));
        Assert.False(route.Bool("properties", "cacheConfiguration", "compressionSettings", "isCompressionEnabled"));
        Assert.EndsWith("/originGroups/bundles", route.String("properties", "originGroup", "id"), StringComparison.Ordinal);
    }

    [Fact]
    public void Caching_honours_the_cache_control_of_the_blobs()
    {
        // No rule overrides what the origin says (Cache-Control: public, max-age=31536000, immutable).
        var actions = infra.Default.OfType("Microsoft.Cdn/profiles/ruleSets/rules")
            .SelectMany(rule => rule.Array("properties", "actions"))
            .Select(action => action.String("name"));
        Assert.DoesNotContain("CacheExpiration", actions);
        Assert.DoesNotContain("RouteConfigurationOverride", actions);
        Assert.DoesNotContain("CacheKeyQueryString", actions);
    }

    [Theory]
    [InlineData("bundles")]
    [InlineData("api")]
    public void Routes_redirect_to_https_and_reach_origins_over_https(string name)
    {
        var snapshot = name == "api" ? infra.Alternative : infra.Default;
        var route = snapshot.One(Route, "/" + name);
        Assert.Equal("Enabled", route.String("properties", "httpsRedirect"));
        Assert.Equal("HttpsOnly", route.String("properties", "forwardingProtocol"));
        Assert.Equal("Enabled", route.String("properties", "linkToDefaultDomain"));
    }

    [Fact]
    public void Bundles_origin_is_the_blob_endpoint_checked_by_certificate_name()
    {
        var origin = infra.Default.One("Microsoft.Cdn/profiles/originGroups/origins", "/bundles/blob");
        var storageAccount = infra.Default.Outputs.String("STORAGE_ACCOUNT_NAME");
        Assert.Equal($"[format('{{0}}.blob.{{1}}', '{storageAccount}', environment().suffixes.storage)]", origin.String("properties", "hostName"));
        Assert.Equal(origin.String("properties", "hostName"), origin.String("properties", "originHostHeader"));
        Assert.True(origin.Bool("properties", "enforceCertificateNameCheck"));
    }

    [Fact]
    public void Front_door_reads_bundles_with_its_managed_identity_by_default()
    {
        Assert.Equal("SystemAssigned", infra.Default.One(Profile).String("identity", "type"));
        var group = infra.Default.One(OriginGroup, "/bundles");
        Assert.Equal("SystemAssignedIdentity", group.String("properties", "authentication", "type"));
        Assert.Equal("https://storage.azure.com/.default", group.String("properties", "authentication", "scope"));
        Assert.Equal("Https", group.String("properties", "healthProbeSettings", "probeProtocol"));
    }

    [Fact]
    public void Identity_signed_storage_requests_carry_a_service_version()
    {
        var route = infra.Default.One(Route, "/bundles");
        var ruleSet = Assert.Single(route.Array("properties", "ruleSets"));
        Assert.EndsWith("/ruleSets/bundles", ruleSet.String("id"), StringComparison.Ordinal);
        var rule = infra.Default.One("Microsoft.Cdn/profiles/ruleSets/rules", "/bundles/storageServiceVersion");
        Assert.Empty(rule.Array("properties", "conditions"));
        var action = Assert.Single(rule.Array("properties", "actions"));
        Assert.Equal("ModifyRequestHeader", action.String("name"));
        Assert.Equal("Overwrite", action.String("parameters", "headerAction"));
        Assert.Equal("x-ms-version", action.String("parameters", "headerName"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", action.String("parameters", "value"));
    }

    [Fact]
    public void Anonymous_bundle_access_drops_the_identity_and_the_header_rule()
    {
        Assert.Equal("None", infra.Alternative.One(Profile).String("identity", "type"));
        Assert.Equal(JsonValueKind.Null, infra.Alternative.One(OriginGroup, "/bundles").At("properties", "authentication").ValueKind);
        Assert.Empty(infra.Alternative.OfType("Microsoft.Cdn/profiles/ruleSets"));
        Assert.Empty(infra.Alternative.One(Route, "/bundles").Array("properties", "ruleSets"));
    }

    [Fact]
    public void Api_route_exists_only_when_asked_for_and_never_caches()
    {
        Assert.DoesNotContain(infra.Default.OfType(Route), route => route.String("name").EndsWith("/api", StringComparison.Ordinal));

        var route = infra.Alternative.One(Route, "/api");
        Assert.Equal(["/api/*"], route.Array("properties", "patternsToMatch").Select(pattern => pattern.GetString()));
        Assert.Equal(JsonValueKind.Undefined, route.At("properties", "cacheConfiguration").ValueKind);
        var origin = infra.Alternative.One("Microsoft.Cdn/profiles/originGroups/origins", "/api/functions");
        Assert.Contains("/providers/Microsoft.Web/sites/func-", origin.String("properties", "hostName"), StringComparison.Ordinal);
        Assert.Contains("defaultHostName", origin.String("properties", "hostName"), StringComparison.Ordinal);
    }
}
