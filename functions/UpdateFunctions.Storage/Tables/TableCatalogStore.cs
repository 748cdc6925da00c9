using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// <see cref="ICatalogStore"/> over Table Storage (docs/architecture.md, storage layout: tables <c>apps</c>, <c>channels</c>,
/// <c>bundles</c>, <c>devices</c>, partition key = app id). Tables are created on first use.
/// </summary>
public sealed class TableCatalogStore : ICatalogStore
{
    internal const string AppsTable = "apps";
    internal const string ChannelsTable = "channels";
    internal const string SegmentsTable = "segments";
    internal const string BundlesTable = "bundles";
    internal const string DevicesTable = "devices";
    internal const string RolloutsTable = "rollouts";

    private readonly TimeProvider _clock;
    private readonly LazyTable _apps;
    private readonly LazyTable _channels;
    private readonly LazyTable _segments;
    private readonly LazyTable _bundles;
    private readonly LazyTable _devices;
    private readonly LazyTable _rollouts;

    public TableCatalogStore(TableServiceClient tables, IOptions<StorageOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var prefix = options.Value.TablePrefix ?? "";
        if (!StorageOptionsValidator.IsValidTablePrefix(prefix))
            throw new ArgumentException($"Invalid table prefix '{prefix}': letters and digits only, starting with a letter.", nameof(options));

        _clock = clock;
        _apps = new LazyTable(tables.GetTableClient(prefix + AppsTable));
        _channels = new LazyTable(tables.GetTableClient(prefix + ChannelsTable));
        _segments = new LazyTable(tables.GetTableClient(prefix + SegmentsTable));
        _bundles = new LazyTable(tables.GetTableClient(prefix + BundlesTable));
        _devices = new LazyTable(tables.GetTableClient(prefix + DevicesTable));
        _rollouts = new LazyTable(tables.GetTableClient(prefix + RolloutsTable));
    }

    public async Task<AppSnapshot?> LoadSnapshotAsync(string appId, CancellationToken cancellationToken)
    {
        StorageKeys.Check(appId, nameof(appId));
        var loadedAt = _clock.GetUtcNow();
        var app = await GetAsync<AppEntity>(_apps, appId, AppEntity.Row, cancellationToken);
        if (app is null)
            return null;

        var channels = QueryPartitionAsync<ChannelEntity>(_channels, appId, cancellationToken);
        var bundles = QueryPartitionAsync<BundleEntity>(_bundles, appId, cancellationToken);
        var devices = QueryPartitionAsync<DeviceEntity>(_devices, appId, cancellationToken);
        var segments = QueryPartitionAsync<SegmentEntity>(_segments, appId, cancellationToken);
        var rollouts = QueryPartitionAsync<RolloutEntity>(_rollouts, appId, cancellationToken);
        await Task.WhenAll(channels, bundles, devices, segments, rollouts).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        return new AppSnapshot(
            app.ToDomain(),
            (await channels).Select(c => c.ToDomain()),
            (await bundles).Select(b => b.ToDomain()),
            (await devices).Select(d => d.ToDomain()),
            loadedAt,
            (await segments).Select(s => s.ToDomain()),
            (await rollouts).Select(r => r.ToDomain()));
    }

    public async Task<Versioned<AppDefinition>?> GetAppAsync(string appId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<AppEntity>(_apps, StorageKeys.Check(appId, nameof(appId)), AppEntity.Row, cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public async Task<IReadOnlyList<AppDefinition>> ListAppsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {AppEntity.Row}");
        var rows = await QueryAsync<AppEntity>(_apps, filter, "listing apps", cancellationToken);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public Task<string> PutAppAsync(AppDefinition app, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        StorageKeys.Check(app.Id, nameof(app));
        return PutAsync(_apps, AppEntity.From(app), condition, cancellationToken);
    }

    public async Task<Versioned<ChannelDefinition>?> GetChannelAsync(string appId, string channel, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<ChannelEntity>(
            _channels, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(channel, nameof(channel)), cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public Task<string> PutChannelAsync(string appId, ChannelDefinition channel, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(channel.Name, nameof(channel));
        return PutAsync(_channels, ChannelEntity.From(appId, channel), condition, cancellationToken);
    }

    public async Task<Versioned<SegmentDefinition>?> GetSegmentAsync(string appId, string segment, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<SegmentEntity>(
            _segments, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(segment, nameof(segment)), cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public Task<string> PutSegmentAsync(string appId, SegmentDefinition segment, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(segment.Name, nameof(segment));
        return PutAsync(_segments, SegmentEntity.From(appId, segment), condition, cancellationToken);
    }

    public Task DeleteSegmentAsync(string appId, string segment, WriteCondition condition, CancellationToken cancellationToken) =>
        DeleteAsync(_segments, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(segment, nameof(segment)), condition, cancellationToken);

    public async Task<Versioned<RolloutDefinition>?> GetRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<RolloutEntity>(
            _rollouts, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(rolloutId, nameof(rolloutId)), cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public async Task<IReadOnlyList<Versioned<RolloutDefinition>>> ListRolloutsAsync(string appId, CancellationToken cancellationToken)
    {
        var rows = await QueryPartitionAsync<RolloutEntity>(_rollouts, StorageKeys.Check(appId, nameof(appId)), cancellationToken);
        return rows.Select(r => new Versioned<RolloutDefinition>(r.ToDomain(), r.ETag.ToString()))
            .OrderBy(r => r.Value.CreatedAt).ThenBy(r => r.Value.Id, StringComparer.Ordinal).ToList();
    }

    public Task<string> PutRolloutAsync(string appId, RolloutDefinition rollout, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(rollout.Id, nameof(rollout));
        return PutAsync(_rollouts, RolloutEntity.From(appId, rollout), condition, cancellationToken);
    }

    public Task DeleteRolloutAsync(string appId, string rolloutId, WriteCondition condition, CancellationToken cancellationToken) =>
        DeleteAsync(_rollouts, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(rolloutId, nameof(rolloutId)), condition, cancellationToken);

    public Task DeleteChannelAsync(string appId, string channel, WriteCondition condition, CancellationToken cancellationToken) =>
        DeleteAsync(_channels, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(channel, nameof(channel)), condition, cancellationToken);

    public async Task<Versioned<BundleDefinition>?> GetBundleAsync(string appId, string version, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<BundleEntity>(
            _bundles, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(version, nameof(version)), cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public Task<string> PutBundleAsync(string appId, BundleDefinition bundle, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(bundle.Version, nameof(bundle));
        return PutAsync(_bundles, BundleEntity.From(appId, bundle), condition, cancellationToken);
    }

    public Task DeleteBundleAsync(string appId, string version, WriteCondition condition, CancellationToken cancellationToken) =>
        DeleteAsync(_bundles, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(version, nameof(version)), condition, cancellationToken);

    public async Task<Versioned<DeviceRecord>?> GetDeviceAsync(string appId, string deviceId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync<DeviceEntity>(
            _devices, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(deviceId, nameof(deviceId)), cancellationToken);
        return entity is null ? null : new(entity.ToDomain(), entity.ETag.ToString());
    }

    public Task<string> PutDeviceAsync(string appId, DeviceRecord device, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        StorageKeys.Check(appId, nameof(appId));
        StorageKeys.Check(device.DeviceId, nameof(device));
        return PutAsync(_devices, DeviceEntity.From(appId, device), condition, cancellationToken);
    }

    public Task DeleteDeviceAsync(string appId, string deviceId, WriteCondition condition, CancellationToken cancellationToken) =>
        DeleteAsync(_devices, StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(deviceId, nameof(deviceId)), condition, cancellationToken);

    private static async Task<T?> GetAsync<T>(LazyTable table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var response = await client.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading {table.Name}/{partitionKey}/{rowKey}", ex);
        }
    }

    private static Task<List<T>> QueryPartitionAsync<T>(LazyTable table, string partitionKey, CancellationToken cancellationToken)
        where T : class, ITableEntity, new() =>
        QueryAsync<T>(table, TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), $"reading {table.Name}/{partitionKey}", cancellationToken);

    private static async Task<List<T>> QueryAsync<T>(LazyTable table, string filter, string what, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var rows = new List<T>();
            await foreach (var row in client.QueryAsync<T>(filter, cancellationToken: cancellationToken))
                rows.Add(row);
            return rows;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    private static async Task<string> PutAsync<T>(LazyTable table, T entity, WriteCondition condition, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var what = $"writing {table.Name}/{entity.PartitionKey}/{entity.RowKey}";
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var response = condition switch
            {
                { MustNotExist: true } => await client.AddEntityAsync(entity, cancellationToken),
                { IfMatch: { } etag } => await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken),
                _ => await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
            };
            return response.Headers.ETag?.ToString()
                ?? throw new InvalidOperationException($"Table storage returned no ETag when {what}.");
        }
        catch (RequestFailedException ex) when (condition.MustNotExist && ex.Status == 409)
        {
            throw new ConcurrencyConflictException($"Conflict {what}: the row already exists.", ex);
        }
        catch (RequestFailedException ex) when (condition.IfMatch is not null && ex.Status is 412 or 404)
        {
            throw new ConcurrencyConflictException($"Conflict {what}: the row changed or was deleted since ETag {condition.IfMatch}.", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    private static async Task DeleteAsync(LazyTable table, string partitionKey, string rowKey, WriteCondition condition, CancellationToken cancellationToken)
    {
        if (condition.MustNotExist)
            throw new ArgumentException("A delete takes WriteCondition.Any or WriteCondition.Matching, not Create.", nameof(condition));

        var what = $"deleting {table.Name}/{partitionKey}/{rowKey}";
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var ifMatch = condition.IfMatch is { } etag ? new ETag(etag) : ETag.All;
            // A missing row answers 404, which the SDK reports as success: deleting twice is fine.
            await client.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new ConcurrencyConflictException($"Conflict {what}: the row changed since ETag {condition.IfMatch}.", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    /// <summary>A table client whose table is created once, on first use, and remembered for the process.</summary>
    private sealed class LazyTable(TableClient client)
    {
        private volatile bool _exists;

        public string Name => client.Name;

        public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
        {
            if (!_exists)
            {
                // Concurrent first callers may both ask; CreateIfNotExists is idempotent, and a failure is not remembered.
                await client.CreateIfNotExistsAsync(cancellationToken);
                _exists = true;
            }

            return client;
        }
    }
}
