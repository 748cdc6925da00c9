using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Storage.Management;

/// <summary>
/// API keys in table <c>apikeys</c>: PK = SHA-256 hex of the secret, RK = <c>key</c>, so a lookup by secret is a
/// point read. Listing and revoking by id scan the table, which holds a few dozen rows and is cached in memory by
/// <see cref="ManagementAuthenticator"/> anyway; no second index row is kept that could drift from the first.
/// </summary>
public sealed class TableApiKeyStore(TableServiceClient tables, IOptions<StorageOptions> options) : IApiKeyStore
{
    internal const string TableName = "apikeys";
    private readonly ManagementTable _table = new(tables, options.Value.TablePrefix ?? "", TableName);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await _table.QueryAsync<ApiKeyEntity>(TableClient.CreateQueryFilter($"RowKey eq {ApiKeyEntity.Row}"), null, cancellationToken);
        return [.. rows.Select(r => r.ToDomain())];
    }

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken) =>
        _table.PutAsync(ApiKeyEntity.From(key), insertOnly: true, cancellationToken);

    public Task UpdateAsync(ApiKey key, CancellationToken cancellationToken) =>
        _table.PutAsync(ApiKeyEntity.From(key), insertOnly: false, cancellationToken);
}

internal sealed class ApiKeyEntity : ITableEntity
{
    public const string Row = "key";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>Allowed app ids joined by spaces (app ids hold none), or null for every app.</summary>
    public string? Apps { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static ApiKeyEntity From(ApiKey key) => new()
    {
        PartitionKey = StorageKeys.Check(key.Hash, nameof(key)),
        Id = key.Id,
        Name = key.Name,
        Role = key.Role.ToWire(),
        Apps = key.Apps is null ? null : string.Join(' ', key.Apps),
        ExpiresAt = key.ExpiresAt,
        CreatedAt = key.CreatedAt,
        RevokedAt = key.RevokedAt,
    };

    public ApiKey ToDomain() => new(
        Id,
        PartitionKey,
        Name,
        // An unreadable role grants the least.
        ApiRoleNames.TryParse(Role, out var role) ? role : ApiRole.Read,
        Apps is null ? null : Apps.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ExpiresAt,
        CreatedAt,
        RevokedAt);
}
