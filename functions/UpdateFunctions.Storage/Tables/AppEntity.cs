using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>apps</c>: PK = app id, RK = <c>app</c>.</summary>
internal sealed class AppEntity : ITableEntity
{
    public const string Row = "app";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = "";
    public string? DefaultChannel { get; set; }
    public string? PublicKey { get; set; }
    public string? KeyId { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    public static AppEntity From(AppDefinition app) => new()
    {
        PartitionKey = app.Id,
        Name = app.Name,
        DefaultChannel = app.DefaultChannel,
        PublicKey = app.PublicKey,
        KeyId = app.KeyId,
        CreatedAt = app.CreatedAt,
    };

    public AppDefinition ToDomain() => new(PartitionKey, Name, DefaultChannel, PublicKey, KeyId, CreatedAt);
}
