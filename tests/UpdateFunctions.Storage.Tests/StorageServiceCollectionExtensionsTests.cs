using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Seeding;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Snapshots;
using UpdateFunctions.Storage.Tables;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

public sealed class StorageServiceCollectionExtensionsTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Connection_string_configuration_wires_working_adapters()
    {
        using var provider = Build(new()
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = azurite.TablePrefix,
            ["Storage:BundlesContainer"] = azurite.BundlesContainer,
        });
        var appId = "com.test.di" + Guid.NewGuid().ToString("N")[..12];

        provider.GetRequiredService<IStartupValidator>().Validate();
        await provider.GetRequiredService<ICatalogStore>().PutAppAsync(new AppDefinition(appId, "Demo", null), WriteCondition.Create, Ct);
        var snapshot = await provider.GetRequiredService<IAppSnapshotSource>().GetAsync(appId, Ct);

        Assert.IsType<TableCatalogStore>(provider.GetRequiredService<ICatalogStore>());
        Assert.IsType<BlobBundleStore>(provider.GetRequiredService<IBundleBlobStore>());
        Assert.IsType<CachedAppSnapshotSource>(provider.GetRequiredService<IAppSnapshotSource>());
        Assert.NotNull(provider.GetRequiredService<SeedLoader>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Equal("Demo", snapshot?.App.Name);
    }

    [Fact]
    public void Every_setting_binds_from_its_documented_key()
    {
        using var provider = Build(new()
        {
            ["Storage:TableServiceUri"] = "https://account.table.core.windows.net",
            ["Storage:BlobServiceUri"] = "https://account.blob.core.windows.net",
            ["Storage:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
            ["Storage:TablePrefix"] = "staging",
            ["Storage:BundlesContainer"] = "zips",
            ["Storage:BundleBaseUrl"] = "https://cdn.example/bundles",
            ["Storage:SnapshotRefreshInterval"] = "00:00:30",
            ["Storage:SignedUrls:Enabled"] = "true",
            ["Storage:SignedUrls:Lifetime"] = "00:20:00",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Null(options.ConnectionString);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.ManagedIdentityClientId);
        Assert.Equal(("staging", "zips"), (options.TablePrefix, options.BundlesContainer));
        Assert.Equal(TimeSpan.FromSeconds(30), options.SnapshotRefreshInterval);
        Assert.Equal(new Uri("https://cdn.example/bundles"), options.BundleBaseUrl);
        Assert.Equal((true, TimeSpan.FromMinutes(20)), (options.SignedUrls.Enabled, options.SignedUrls.Lifetime));
        // Service URIs mean managed identity: the clients point at the account without a key (no call is made here).
        Assert.Equal(new Uri("https://account.table.core.windows.net"), provider.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://account.blob.core.windows.net"), provider.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new Uri("https://cdn.example/bundles/com.demo.app/x.zip"),
            provider.GetRequiredService<IBundleBlobStore>().GetDownloadUri("com.demo.app/x.zip"));
    }

    [Fact]
    public void Defaults_hold_when_only_the_connection_string_is_set()
    {
        using var provider = Build(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(("", "bundles", (Uri?)null), (options.TablePrefix, options.BundlesContainer, options.BundleBaseUrl));
        Assert.Equal(TimeSpan.FromSeconds(10), options.SnapshotRefreshInterval);
        Assert.Equal((false, TimeSpan.FromMinutes(15)), (options.SignedUrls.Enabled, options.SignedUrls.Lifetime));
    }

    [Theory]
    [InlineData(null, null, null, "set Storage__ConnectionString, or both Storage__TableServiceUri and Storage__BlobServiceUri")]
    [InlineData(null, "https://account.table.core.windows.net", null, "set Storage__ConnectionString, or both")]
    [InlineData("UseDevelopmentStorage=true", null, "my-prefix", "Storage__TablePrefix must be empty or start with a letter")]
    public void Invalid_configuration_fails_at_start(string? connectionString, string? tableUri, string? prefix, string expected)
    {
        using var provider = Build(new()
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TableServiceUri"] = tableUri,
            ["Storage:TablePrefix"] = prefix,
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Storage:BundlesContainer", "Bundles", "Storage__BundlesContainer must be a valid container name")]
    [InlineData("Storage:BundlesContainer", "a--b", "Storage__BundlesContainer must be a valid container name")]
    [InlineData("Storage:BundleBaseUrl", "/bundles", "Storage__BundleBaseUrl must be an absolute http(s) URL")]
    [InlineData("Storage:SnapshotRefreshInterval", "00:00:00", "Storage__SnapshotRefreshInterval must be positive")]
    [InlineData("Storage:SignedUrls:Lifetime", "00:01:00", "Storage__SignedUrls__Lifetime must be between 00:02:00 and 1.00:00:00")]
    [InlineData("Storage:SignedUrls:Lifetime", "2.00:00:00", "Storage__SignedUrls__Lifetime must be between")]
    public void Each_setting_is_validated(string key, string value, string expected)
    {
        using var provider = Build(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_urls_need_a_private_container()
    {
        using var provider = Build(new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:BundlesPublicRead"] = "true",
            ["Storage:SignedUrls:Enabled"] = "true",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Storage__SignedUrls__Enabled needs a private bundles container", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_provider_registered_first_is_kept()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);

        services.AddUpdateStorage(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddUpdateStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
