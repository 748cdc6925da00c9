using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>segments</c>: PK = app id, RK = segment name; the rule in its JSON form (<see cref="SegmentJson"/>).</summary>
internal sealed class SegmentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Definition { get; set; } = "";

    public static SegmentEntity From(string appId, SegmentDefinition segment) => new()
    {
        PartitionKey = appId,
        RowKey = segment.Name,
        Definition = SegmentJson.Write(segment),
    };

    public SegmentDefinition ToDomain() =>
        SegmentJson.TryParse(Definition, out var segment, out var error)
            ? segment
            : throw new InvalidDataException($"Stored segment {PartitionKey}/{RowKey} is invalid: {error}");
}
