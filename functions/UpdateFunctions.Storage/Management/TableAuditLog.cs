using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Storage.Management;

/// <summary>
/// The audit log in table <c>audit</c>: PK = app id (or <c>_global</c> for key changes), RK = inverted ticks + a
/// unique suffix, so a partition reads newest first. Every entry is also written to partition <c>_all</c>, so the
/// unfiltered log is one partition read of <c>top</c> rows rather than a merge over every app.
/// </summary>
public sealed class TableAuditLog(TableServiceClient tables, IOptions<StorageOptions> options) : IAuditLog
{
    internal const string TableName = "audit";
    internal const string GlobalPartition = "_global";
    internal const string AllPartition = "_all";
    private readonly ManagementTable _table = new(tables, options.Value.TablePrefix ?? "", TableName);

    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var rowKey = InvertedTicks(entry.At) + "_" + entry.Id;
        await _table.PutAsync(AuditEntity.From(entry, entry.AppId ?? GlobalPartition, rowKey), insertOnly: true, cancellationToken);
        await _table.PutAsync(AuditEntity.From(entry, AllPartition, rowKey), insertOnly: true, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.Check(appId ?? AllPartition, nameof(appId));
        var rows = await _table.QueryAsync<AuditEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), top, cancellationToken);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>Every partition at once: older entries have greater RowKeys (inverted ticks), so one range filter finds them.</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var rows = await _table.QueryAsync<AuditEntity>(TableClient.CreateQueryFilter($"RowKey gt {InvertedTicks(before)}"), max, cancellationToken);
        foreach (var row in rows)
            await _table.DeleteAsync(row.PartitionKey, row.RowKey, cancellationToken);
        return rows.Count;
    }

    private static string InvertedTicks(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}

internal sealed class AuditEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string KeyId { get; set; } = "";
    public string Action { get; set; } = "";
    public string? App { get; set; }
    public string Resource { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }

    public static AuditEntity From(AuditEntry entry, string partitionKey, string rowKey) => new()
    {
        PartitionKey = partitionKey,
        RowKey = rowKey,
        Id = entry.Id,
        At = entry.At,
        KeyId = entry.KeyId,
        Action = entry.Action,
        App = entry.AppId,
        Resource = entry.Resource,
        Before = entry.Before,
        After = entry.After,
    };

    public AuditEntry ToDomain() => new(Id, At, KeyId, Action, App, Resource, Before, After);
}
