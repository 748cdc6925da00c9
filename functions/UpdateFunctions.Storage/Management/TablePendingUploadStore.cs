using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Storage.Management;

/// <summary>
/// Announced, uncommitted uploads in their own table <c>uploads</c> (PK = app id, RK = version). Kept out of the
/// <c>bundles</c> table on purpose: the snapshot loader reads that table whole, and a pending row there would be one
/// forgotten filter away from being offered to devices.
/// </summary>
public sealed class TablePendingUploadStore(TableServiceClient tables, IOptions<StorageOptions> options) : IPendingUploadStore
{
    internal const string TableName = "uploads";
    private readonly ManagementTable _table = new(tables, options.Value.TablePrefix ?? "", TableName);

    public async Task<PendingUpload?> GetAsync(string appId, string version, CancellationToken cancellationToken)
    {
        var row = await _table.GetAsync<UploadEntity>(StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(version, nameof(version)), cancellationToken);
        return row?.ToDomain();
    }

    public Task PutAsync(PendingUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return _table.PutAsync(UploadEntity.From(upload), insertOnly: false, cancellationToken);
    }

    public Task DeleteAsync(string appId, string version, CancellationToken cancellationToken) =>
        _table.DeleteAsync(StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(version, nameof(version)), cancellationToken);

    public async Task<IReadOnlyList<PendingUpload>> ListExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var rows = await _table.QueryAsync<UploadEntity>(TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), max, cancellationToken);
        return [.. rows.Select(r => r.ToDomain())];
    }

    public async Task<bool> DeleteIfExpiredAsync(string appId, string version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await _table.GetAsync<UploadEntity>(StorageKeys.Check(appId, nameof(appId)), StorageKeys.Check(version, nameof(version)), cancellationToken);
        // Announced again meanwhile: the new upload's row stays (the ETag guards the race between read and delete).
        return row is not null && row.ExpiresAt < now && await _table.DeleteIfUnchangedAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
    }
}

internal sealed class UploadEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Sha256 { get; set; } = "";
    public long Size { get; set; }
    public string StagingPath { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? MinUpdateVersion { get; set; }
    public string? Link { get; set; }
    public string? Comment { get; set; }
    public string? SessionKey { get; set; }
    public string? DeviceChecksum { get; set; }
    public string? KeyId { get; set; }

    public static UploadEntity From(PendingUpload u) => new()
    {
        PartitionKey = StorageKeys.Check(u.AppId, nameof(u)),
        RowKey = StorageKeys.Check(u.Version, nameof(u)),
        Sha256 = u.Sha256,
        Size = u.Size,
        StagingPath = u.StagingPath,
        ExpiresAt = u.ExpiresAt,
        CreatedAt = u.CreatedAt,
        MinUpdateVersion = u.MinUpdateVersion,
        Link = u.Link,
        Comment = u.Comment,
        SessionKey = u.SessionKey,
        DeviceChecksum = u.DeviceChecksum,
        KeyId = u.KeyId,
    };

    public PendingUpload ToDomain() => new(PartitionKey, RowKey, Sha256, Size, StagingPath, ExpiresAt, CreatedAt,
        MinUpdateVersion, Link, Comment, SessionKey, KeyId, DeviceChecksum);
}
