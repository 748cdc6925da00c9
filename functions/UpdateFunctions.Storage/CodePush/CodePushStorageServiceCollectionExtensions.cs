using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Storage.CodePush;

public static class CodePushStorageServiceCollectionExtensions
{
    /// <summary>
    /// The CodePush store (<see cref="TableCodePushStore"/>) and its in-memory <see cref="CodePushDirectory"/>, refreshed
    /// as often as app snapshots (<see cref="StorageOptions.SnapshotRefreshInterval"/>). Needs <c>AddUpdateStorage</c>.
    /// </summary>
    public static IServiceCollection AddCodePushStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<ICodePushStore, TableCodePushStore>();
        services.TryAddSingleton(provider => new CodePushDirectory(
            provider.GetRequiredService<ICodePushStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.SnapshotRefreshInterval));
        return services;
    }
}
