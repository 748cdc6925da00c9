using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// Row of table <c>bundles</c>: PK = app id, RK = version. The manifest itself is a blob (it can outgrow a row); the
/// row keeps where it is and its counts. Rows written before partial updates have no manifest column.
/// </summary>
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
    public string? ManifestPath { get; set; }
    public int ManifestFiles { get; set; }
    public long ManifestSize { get; set; }
    public long ManifestStoredSize { get; set; }
    public string? ManifestUnavailable { get; set; }

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
        ManifestPath = bundle.Manifest?.BlobPath,
        ManifestFiles = bundle.Manifest?.Files ?? 0,
        ManifestSize = bundle.Manifest?.Size ?? 0,
        ManifestStoredSize = bundle.Manifest?.StoredSize ?? 0,
        ManifestUnavailable = bundle.ManifestUnavailable,
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
        CreatedAt,
        ManifestPath is { } path ? new BundleManifestInfo(path, ManifestFiles, ManifestSize, ManifestStoredSize) : null,
        ManifestUnavailable);
}
