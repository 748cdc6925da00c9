using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>bundles</c>: PK = app id, RK = version.</summary>
internal sealed class BundleEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? BlobPath { get; set; }
    public string? ExternalUrl { get; set; }
    public string Checksum { get; set; } = "";
    public long Size { get; set; }
    public string? SessionKey { get; set; }
    public string? KeyId { get; set; }
    public string? MinUpdateVersion { get; set; }
    public string? Link { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    public static BundleEntity From(string appId, BundleDefinition bundle) => new()
    {
        PartitionKey = appId,
        RowKey = bundle.Version,
        BlobPath = bundle.BlobPath,
        ExternalUrl = bundle.ExternalUrl,
        Checksum = bundle.Checksum,
        Size = bundle.Size,
        SessionKey = bundle.SessionKey,
        KeyId = bundle.KeyId,
        MinUpdateVersion = bundle.MinUpdateVersion,
        Link = bundle.Link,
        Comment = bundle.Comment,
        CreatedAt = bundle.CreatedAt,
    };

    public BundleDefinition ToDomain() => new(
        RowKey,
        BlobPath,
        ExternalUrl,
        Checksum,
        Size,
        SessionKey ?? "",
        KeyId,
        MinUpdateVersion,
        Link,
        Comment,
        CreatedAt);
}
