using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage.Management;

/// <summary>One table of the management stores: created on first use, failures mapped as <see cref="StorageFailures"/> says.</summary>
internal sealed class ManagementTable(TableServiceClient tables, string prefix, string name)
{
    private readonly TableClient _client = tables.GetTableClient(
        StorageOptionsValidator.IsValidTablePrefix(prefix) ? prefix + name : throw new ArgumentException($"Invalid table prefix '{prefix}'.", nameof(prefix)));
    private volatile bool _exists;

    public async Task<T?> GetAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        try
        {
            var client = await ClientAsync(cancellationToken);
            var response = await client.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"reading {_client.Name}/{partitionKey}/{rowKey}", ex);
        }
    }

    public async Task<List<T>> QueryAsync<T>(string filter, int? take, CancellationToken cancellationToken) where T : class, ITableEntity, new()
    {
        try
        {
            var client = await ClientAsync(cancellationToken);
            var rows = new List<T>();
            await foreach (var row in client.QueryAsync<T>(filter, maxPerPage: take is { } t ? Math.Min(t, 1000) : null, cancellationToken: cancellationToken))
            {
                rows.Add(row);
                if (take is { } limit && rows.Count >= limit)
                    break;
            }
            return rows;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"querying {_client.Name}", ex);
        }
    }

    /// <summary>Insert (<paramref name="insertOnly"/>) or upsert; an insert over an existing row is a <see cref="ConcurrencyConflictException"/>.</summary>
    public Task PutAsync<T>(T entity, bool insertOnly, CancellationToken cancellationToken) where T : class, ITableEntity =>
        WriteAsync(entity, insertOnly ? WriteCondition.Create : WriteCondition.Any, cancellationToken);

    /// <summary>
    /// Writes the row under <paramref name="condition"/> and returns its new ETag: a create over an existing row, or a
    /// replace of a row that changed or went, is a <see cref="ConcurrencyConflictException"/>.
    /// </summary>
    public async Task<string> WriteAsync<T>(T entity, WriteCondition condition, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        var what = $"writing {_client.Name}/{entity.PartitionKey}/{entity.RowKey}";
        try
        {
            var client = await ClientAsync(cancellationToken);
            var response = condition switch
            {
                { MustNotExist: true } => await client.AddEntityAsync(entity, cancellationToken),
                { IfMatch: { } etag } => await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken),
                _ => await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
            };
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"Table storage returned no ETag when {what}.");
        }
        catch (RequestFailedException ex) when ((condition.MustNotExist && ex.Status == 409) || (condition.IfMatch is not null && ex.Status is 412 or 404))
        {
            throw new ConcurrencyConflictException($"Conflict {what}: the row {(condition.MustNotExist ? "already exists" : "changed or went")}.", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable(what, ex);
        }
    }

    public async Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ClientAsync(cancellationToken);
            await client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"deleting {_client.Name}/{partitionKey}/{rowKey}", ex);
        }
    }

    /// <summary>Deletes the row only if it is still the version read (<paramref name="etag"/>); false when it changed or went.</summary>
    public async Task<bool> DeleteIfUnchangedAsync(string partitionKey, string rowKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ClientAsync(cancellationToken);
            await client.DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw StorageFailures.Unavailable($"deleting {_client.Name}/{partitionKey}/{rowKey}", ex);
        }
    }

    private async ValueTask<TableClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (!_exists)
        {
            await _client.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }
        return _client;
    }
}
