using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Seeding;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Snapshots;
using UpdateFunctions.Storage.Tables;

namespace UpdateFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage adapters: <see cref="StorageOptions"/> (section <c>Storage</c>, validated on start),
    /// <see cref="TableServiceClient"/> and <see cref="BlobServiceClient"/> (connection string, or service URIs with
    /// <see cref="DefaultAzureCredential"/>), <see cref="ICatalogStore"/>, <see cref="IBundleBlobStore"/>, the files and
    /// manifests of partial updates (<see cref="IBundleFileStore"/>, <see cref="BundleManifestBuilder"/>,
    /// <see cref="ManifestCache"/>), the download URLs of update answers (<see cref="IDownloadUrlSource"/>, signed or not),
    /// <see cref="IAppSnapshotSource"/> and <see cref="SeedLoader"/>.
    /// </summary>
    public static IServiceCollection AddUpdateStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // A host has registered its configuration already; a tool or test that builds its own container gets the one
        // passed in, so both bind the same settings.
        services.TryAddSingleton(configuration);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddAzureClients(clients =>
        {
            clients.UseCredential(provider => CreateCredential(Options(provider)));
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, provider) =>
                Options(provider) is { ConnectionString: { Length: > 0 } connectionString }
                    ? new TableServiceClient(connectionString, clientOptions)
                    : new TableServiceClient(Options(provider).TableServiceUri, credential, clientOptions));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, provider) =>
                Options(provider) is { ConnectionString: { Length: > 0 } connectionString }
                    ? new BlobServiceClient(connectionString, clientOptions)
                    : new BlobServiceClient(Options(provider).BlobServiceUri, credential, clientOptions));
        });
        // The SDK's log forwarder, minus the warnings of answers this code expects and handles (404, 409, 412).
        services.Replace(ServiceDescriptor.Singleton(provider =>
            new AzureEventSourceLogForwarder(new ExpectedAnswersLoggerFactory(provider.GetRequiredService<ILoggerFactory>()))));

        services.TryAddSingleton<ICatalogStore, TableCatalogStore>();
        services.TryAddSingleton<IBundleBlobStore, BlobBundleStore>();
        services.TryAddSingleton<IBundleFileStore, BlobBundleFileStore>();
        services.TryAddSingleton<IDownloadUrlSource, BlobDownloadUrls>();
        services.TryAddSingleton<BundleManifestBuilder>();
        services.TryAddSingleton<ManifestCache>();
        services.TryAddSingleton<IAppSnapshotSource, CachedAppSnapshotSource>();
        services.TryAddSingleton<SeedLoader>();
        return services;
    }

    private static StorageOptions Options(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static DefaultAzureCredential CreateCredential(StorageOptions options) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
}
