using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Core.Persistence;

/// <summary>
/// Durable store of apps, channels, bundles and device records (Table Storage in production, docs/architecture.md).
/// Every write takes a <see cref="WriteCondition"/>; a failed precondition throws
/// <see cref="ConcurrencyConflictException"/>. An unreachable store throws <see cref="StorageUnavailableException"/>.
/// </summary>
public interface ICatalogStore
{
    /// <summary>Reads everything an update check needs about one app, or null when the app does not exist.</summary>
    Task<AppSnapshot?> LoadSnapshotAsync(string appId, CancellationToken cancellationToken);

    Task<Versioned<AppDefinition>?> GetAppAsync(string appId, CancellationToken cancellationToken);
    Task<IReadOnlyList<AppDefinition>> ListAppsAsync(CancellationToken cancellationToken);
    Task<string> PutAppAsync(AppDefinition app, WriteCondition condition, CancellationToken cancellationToken);

    Task<Versioned<ChannelDefinition>?> GetChannelAsync(string appId, string channel, CancellationToken cancellationToken);
    Task<string> PutChannelAsync(string appId, ChannelDefinition channel, WriteCondition condition, CancellationToken cancellationToken);
    Task DeleteChannelAsync(string appId, string channel, WriteCondition condition, CancellationToken cancellationToken);

    Task<Versioned<BundleDefinition>?> GetBundleAsync(string appId, string version, CancellationToken cancellationToken);
    Task<string> PutBundleAsync(string appId, BundleDefinition bundle, WriteCondition condition, CancellationToken cancellationToken);
    Task DeleteBundleAsync(string appId, string version, WriteCondition condition, CancellationToken cancellationToken);

    Task<Versioned<DeviceRecord>?> GetDeviceAsync(string appId, string deviceId, CancellationToken cancellationToken);
    Task<string> PutDeviceAsync(string appId, DeviceRecord device, WriteCondition condition, CancellationToken cancellationToken);
    Task DeleteDeviceAsync(string appId, string deviceId, WriteCondition condition, CancellationToken cancellationToken);

    Task<Versioned<SegmentDefinition>?> GetSegmentAsync(string appId, string segment, CancellationToken cancellationToken);
    Task<string> PutSegmentAsync(string appId, SegmentDefinition segment, WriteCondition condition, CancellationToken cancellationToken);
    Task DeleteSegmentAsync(string appId, string segment, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>A rollout of an app (table <c>rollouts</c>: PK = app id, RK = rollout id), with its ETag.</summary>
    Task<Versioned<RolloutDefinition>?> GetRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken);

    /// <summary>Every rollout of an app with its ETag, oldest first.</summary>
    Task<IReadOnlyList<Versioned<RolloutDefinition>>> ListRolloutsAsync(string appId, CancellationToken cancellationToken);

    Task<string> PutRolloutAsync(string appId, RolloutDefinition rollout, WriteCondition condition, CancellationToken cancellationToken);

    Task DeleteRolloutAsync(string appId, string rolloutId, WriteCondition condition, CancellationToken cancellationToken);
}
