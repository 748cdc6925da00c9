namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FrontDoorTests(InfraFixture infra)
{
    private const string Module = "frontdoor";
    private const string RouteType = "Microsoft.Cdn/profiles/afdEndpoints/routes";

    private JsonObject BundlesRoute => Assert.Single(infra.ResourcesOf(Module, RouteType), route =>
        Arm.Text(route["name"])!.Contains("parameters('bundlesContainerName')", StringComparison.Ordinal));

    private JsonObject ApiRoute => Assert.Single(infra.ResourcesOf(Module, RouteType), route =>
        Arm.Text(route["name"])!.EndsWith("'api')]", StringComparison.Ordinal));

    [Fact]
    public void Front_Door_profile_is_Standard_tier()
    {
        var profile = infra.SingleResource(Module, "Microsoft.Cdn/profiles");
        Assert.Equal("Standard_AzureFrontDoor", Arm.Text(profile["sku"]!["name"]));
    }

    [Fact]
    public void Bundles_route_matches_the_bundles_path()
    {
        var patterns = BundlesRoute["properties"]!["patternsToMatch"]!.AsArray().Select(Arm.Text);
        Assert.Equal(["[format('/{0}/*', parameters('bundlesContainerName'))]"], patterns);
        Assert.Equal("bundles", Arm.Text(Arm.At(infra.ModuleTemplate(Module), "parameters", "bundlesContainerName", "defaultValue")));
        Assert.Equal("bundles", Arm.Text(infra.ModuleArgument(Module, "bundlesContainerName")));
    }

    [Fact]
    public void Bundles_route_caches_and_ignores_query_strings()
    {
        var properties = BundlesRoute["properties"]!;
        Assert.Equal("IgnoreQueryString", Arm.Text(Arm.At(properties, "cacheConfiguration", "queryStringCachingBehavior")));
        Assert.Equal("Enabled", Arm.Text(properties["enabledState"]));
        // Origin Cache-Control (immutable, one year) is honoured as long as no rule set overrides caching.
        Assert.True(properties["ruleSets"] is null || properties["ruleSets"]!.AsArray().Count == 0);
        Assert.Empty(infra.ResourcesOf(Module, "Microsoft.Cdn/profiles/ruleSets"));
    }

    [Fact]
    public void Bundles_route_redirects_to_HTTPS_and_forwards_over_HTTPS()
    {
        var properties = BundlesRoute["properties"]!;
        Assert.Equal("Enabled", Arm.Text(properties["httpsRedirect"]));
        Assert.Equal("HttpsOnly", Arm.Text(properties["forwardingProtocol"]));
    }

    [Fact]
    public void Bundles_origin_is_the_storage_blob_endpoint_with_certificate_checks()
    {
        Assert.Contains("'bundles')]", Arm.Text(Arm.At(BundlesRoute, "properties", "originGroup", "id")), StringComparison.Ordinal);
        var origin = Assert.Single(infra.ResourcesOf(Module, "Microsoft.Cdn/profiles/originGroups/origins"), origin =>
            Arm.Text(origin["name"])!.Contains("'bundles', 'blob'", StringComparison.Ordinal));
        Assert.Equal("[parameters('blobHostName')]", Arm.Text(origin["properties"]!["hostName"]));
        Assert.Equal("[parameters('blobHostName')]", Arm.Text(origin["properties"]!["originHostHeader"]));
        Assert.True(Arm.Bool(origin["properties"]!["enforceCertificateNameCheck"]));
        Assert.Contains("outputs.blobHostName", Arm.Text(infra.ModuleArgument(Module, "blobHostName")), StringComparison.Ordinal);
        Assert.Equal("[format('{0}.blob.{1}', parameters('name'), environment().suffixes.storage)]",
            Arm.Text(infra.ModuleTemplate("storage")["outputs"]!["blobHostName"]!["value"]));
    }

    [Fact]
    public void Api_route_is_optional_off_by_default_and_never_cached()
    {
        Assert.Equal("[parameters('enableApiRoute')]", Arm.Text(ApiRoute["condition"]));
        Assert.Equal("[parameters('enableApiRoute')]", Arm.Text(infra.ModuleArgument(Module, "enableApiRoute")));
        Assert.False(Arm.Bool(Arm.At(infra.Template, "parameters", "enableApiRoute", "defaultValue")) ?? true);
        var properties = ApiRoute["properties"]!;
        Assert.Null(properties["cacheConfiguration"]);
        Assert.Equal(["/api/*"], properties["patternsToMatch"]!.AsArray().Select(Arm.Text));
        Assert.Equal("Enabled", Arm.Text(properties["httpsRedirect"]));
        Assert.Equal("HttpsOnly", Arm.Text(properties["forwardingProtocol"]));
    }
}
