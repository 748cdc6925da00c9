using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.CodePush;

/// <summary>
/// CodePush data in two tables of its own: <c>codepushkeys</c> (PK = SHA-256 hex of the deployment key, RK = <c>key</c>;
/// a few rows per app, read whole into the in-memory index) and <c>codepushreleases</c> (PK = app id, RK =
/// <c>{channel}|{number, 10 digits}</c>, so an app's history is one partition read in label order). Release writes are
/// ETag-guarded; a new release is an insert, so two releases racing for one label cannot both win. Each write then
/// replaces a version row (keys: PK <c>~version</c>; releases: RK <c>~version</c> of the app's partition) whose ETag
/// is the token an idle refresh reads instead of the rows.
/// </summary>
public sealed class TableCodePushStore(TableServiceClient tables, IOptions<StorageOptions> options) : ICodePushStore
{
    internal const string KeysTableName = "codepushkeys";
    internal const string ReleasesTableName = "codepushreleases";

    /// <summary>Partition of the keys' version row (not a SHA-256 hex) and row key of an app's releases version row (no '|').</summary>
    internal const string VersionKey = "~version";

    private readonly TableClient _keys = tables.GetTableClient((options.Value.TablePrefix ?? "") + KeysTableName);
    private readonly TableClient _releases = tables.GetTableClient((options.Value.TablePrefix ?? "") + ReleasesTableName);
    private volatile bool _created;

    public async Task<IReadOnlyList<DeploymentKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        try
        {
            var keys = new List<DeploymentKey>();
            await foreach (var row in _keys.QueryAsync<DeploymentKeyEntity>(cancellationToken: cancellationToken))
            {
                if (row.PartitionKey != VersionKey && row.ToDomain() is { } key)
                    keys.Add(key);
            }
            return keys;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"querying {_keys.Name}", ex);
        }
    }

    public async Task AddKeyAsync(DeploymentKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await EnsureTablesAsync(cancellationToken);
        try
        {
            await _keys.AddEntityAsync(DeploymentKeyEntity.From(key), cancellationToken);
            await BumpAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            throw new ConcurrencyConflictException($"Deployment key {key.Id} exists already.", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"writing {_keys.Name}", ex);
        }
    }

    public async Task DeleteKeyAsync(string hash, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        try
        {
            await _keys.DeleteEntityAsync(StorageKeys.Check(hash, nameof(hash)), DeploymentKeyEntity.Row, ETag.All, cancellationToken);
            await BumpAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"deleting from {_keys.Name}", ex);
        }
    }

    public async Task<IReadOnlyList<Versioned<CodePushRelease>>> ListReleasesAsync(string appId, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        try
        {
            var releases = new List<Versioned<CodePushRelease>>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.Check(appId, nameof(appId))}");
            await foreach (var row in _releases.QueryAsync<CodePushReleaseEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.RowKey != VersionKey)
                    releases.Add(new(row.ToDomain(), row.ETag.ToString()));
            }
            return releases;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"querying {_releases.Name}/{appId}", ex);
        }
    }

    public async Task<string> PutReleaseAsync(string appId, CodePushRelease release, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        await EnsureTablesAsync(cancellationToken);
        var entity = CodePushReleaseEntity.From(appId, release);
        var what = $"writing {_releases.Name}/{appId}/{entity.RowKey}";
        try
        {
            var response = condition switch
            {
                { MustNotExist: true } => await _releases.AddEntityAsync(entity, cancellationToken),
                { IfMatch: { } etag } => await _releases.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken),
                _ => await _releases.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
            };
            await BumpAsync(_releases, appId, VersionKey, cancellationToken);
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"Table storage returned no ETag when {what}.");
        }
        catch (RequestFailedException ex) when ((condition.MustNotExist && ex.Status == 409) || (condition.IfMatch is not null && ex.Status is 412 or 404))
        {
            throw new ConcurrencyConflictException($"Conflict {what}.", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    public Task<string?> GetKeysVersionAsync(CancellationToken cancellationToken) =>
        ReadVersionAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);

    public Task<string?> GetReleasesVersionAsync(string appId, CancellationToken cancellationToken) =>
        ReadVersionAsync(_releases, StorageKeys.Check(appId, nameof(appId)), VersionKey, cancellationToken);

    private async Task<string?> ReadVersionAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        try
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, ["PartitionKey"], cancellationToken);
            return row.HasValue ? row.Value!.ETag.ToString() : null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading {table.Name}/{partitionKey}/{rowKey}", ex);
        }
    }

    /// <summary>A new ETag on the version row (every replace gets one). Inside the caller's try: a failure is reported as its write's.</summary>
    private static async Task BumpAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(partitionKey, rowKey), TableUpdateMode.Replace, cancellationToken);

    private async ValueTask EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_created)
            return;
        try
        {
            await _keys.CreateIfNotExistsAsync(cancellationToken);
            await _releases.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable("creating the CodePush tables", ex);
        }
    }
}

internal sealed class DeploymentKeyEntity : ITableEntity
{
    public const string Row = "key";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = "";
    public string AppId { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Platform { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    public static DeploymentKeyEntity From(DeploymentKey key) => new()
    {
        PartitionKey = StorageKeys.Check(key.Hash, nameof(key)),
        Id = key.Id,
        AppId = key.AppId,
        Channel = key.Channel,
        Platform = key.Platform.ToWire(),
        Name = key.Name,
        CreatedAt = key.CreatedAt,
        CreatedBy = key.CreatedBy,
    };

    /// <summary>Null for a row whose platform no longer reads: such a key answers nothing rather than the wrong platform.</summary>
    public DeploymentKey? ToDomain() => PlatformNames.TryParse(Platform, out var platform)
        ? new DeploymentKey(Id, PartitionKey, AppId, Channel, platform, Name, CreatedAt, CreatedBy)
        : null;
}

internal sealed class CodePushReleaseEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Channel { get; set; } = "";
    public int Number { get; set; }
    public string Bundle { get; set; } = "";
    public string TargetBinaryRange { get; set; } = "";
    public string PackageHash { get; set; } = "";
    public long Size { get; set; }
    public bool IsMandatory { get; set; }
    public bool IsDisabled { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public bool RolledBack { get; set; }
    public string? ReleasedBy { get; set; }

    /// <summary>Channel names hold no <c>|</c>; ten digits keep the row keys in label order.</summary>
    public static string RowKeyOf(string channel, int number) =>
        channel + "|" + number.ToString("D10", CultureInfo.InvariantCulture);

    public static CodePushReleaseEntity From(string appId, CodePushRelease release) => new()
    {
        PartitionKey = StorageKeys.Check(appId, nameof(appId)),
        RowKey = StorageKeys.Check(RowKeyOf(release.Channel, release.Number), nameof(release)),
        Channel = release.Channel,
        Number = release.Number,
        Bundle = release.Bundle,
        TargetBinaryRange = release.TargetBinaryRange,
        PackageHash = release.PackageHash,
        Size = release.Size,
        IsMandatory = release.IsMandatory,
        IsDisabled = release.IsDisabled,
        Description = release.Description,
        CreatedAt = release.CreatedAt,
        RolledBack = release.RolledBack,
        ReleasedBy = release.ReleasedBy,
    };

    public CodePushRelease ToDomain() => new(Channel, Number, Bundle, TargetBinaryRange, PackageHash, Size,
        IsMandatory, IsDisabled, Description, CreatedAt, RolledBack, ReleasedBy);
}
