using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Management;

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

    private readonly ManagementTable _keys = new(tables, options.Value.TablePrefix ?? "", KeysTableName);
    private readonly ManagementTable _releases = new(tables, options.Value.TablePrefix ?? "", ReleasesTableName);

    public async Task<IReadOnlyList<DeploymentKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var rows = await _keys.QueryAsync<DeploymentKeyEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {VersionKey}"), null, cancellationToken);
        return [.. rows.Select(r => r.ToDomain()).OfType<DeploymentKey>()];
    }

    public async Task AddKeyAsync(DeploymentKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _keys.WriteAsync(DeploymentKeyEntity.From(key), WriteCondition.Create, cancellationToken);
        await BumpAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);
    }

    public async Task DeleteKeyAsync(string hash, CancellationToken cancellationToken)
    {
        await _keys.DeleteAsync(StorageKeys.Check(hash, nameof(hash)), DeploymentKeyEntity.Row, cancellationToken);
        await BumpAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);
    }

    public async Task<IReadOnlyList<Versioned<CodePushRelease>>> ListReleasesAsync(string appId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.Check(appId, nameof(appId))} and RowKey ne {VersionKey}");
        var rows = await _releases.QueryAsync<CodePushReleaseEntity>(filter, null, cancellationToken);
        return [.. rows.Select(r => new Versioned<CodePushRelease>(r.ToDomain(), r.ETag.ToString()))];
    }

    public async Task<string> PutReleaseAsync(string appId, CodePushRelease release, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var etag = await _releases.WriteAsync(CodePushReleaseEntity.From(appId, release), condition, cancellationToken);
        await BumpAsync(_releases, appId, VersionKey, cancellationToken);
        return etag;
    }

    public Task<string?> GetKeysVersionAsync(CancellationToken cancellationToken) =>
        ReadVersionAsync(_keys, VersionKey, DeploymentKeyEntity.Row, cancellationToken);

    public Task<string?> GetReleasesVersionAsync(string appId, CancellationToken cancellationToken) =>
        ReadVersionAsync(_releases, StorageKeys.Check(appId, nameof(appId)), VersionKey, cancellationToken);

    private static async Task<string?> ReadVersionAsync(ManagementTable table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        (await table.GetAsync<TableEntity>(partitionKey, rowKey, cancellationToken))?.ETag.ToString();

    /// <summary>A new ETag on the version row (every replace gets one), after the write it stands for.</summary>
    private static Task BumpAsync(ManagementTable table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        table.PutAsync(new TableEntity(partitionKey, rowKey), insertOnly: false, cancellationToken);
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
