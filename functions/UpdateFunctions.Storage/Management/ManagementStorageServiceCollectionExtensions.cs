using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Blobs;

namespace UpdateFunctions.Storage.Management;

public static class ManagementStorageServiceCollectionExtensions
{
    /// <summary>The management API's stores: API keys, audit log, pending uploads and the upload staging area.</summary>
    public static IServiceCollection AddManagementStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<IApiKeyStore, TableApiKeyStore>();
        services.TryAddSingleton<IAuditLog, TableAuditLog>();
        services.TryAddSingleton<IPendingUploadStore, TablePendingUploadStore>();
        services.TryAddSingleton<IBundleStaging, BlobBundleStaging>();
        return services;
    }
}
