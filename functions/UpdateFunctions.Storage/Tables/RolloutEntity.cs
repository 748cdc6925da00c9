using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// Row of table <c>rollouts</c>: PK = app id, RK = rollout id; the rollout in its JSON form (<see cref="RolloutJson"/>).
/// A string property holds at most 32K characters, and a rollout's history (50 decisions, each with the numbers of up
/// to 8 segments) can outgrow that, so the JSON is split over <c>Definition</c>, <c>Definition1</c> … <c>Definition7</c>.
/// </summary>
internal sealed class RolloutEntity : ITableEntity
{
    /// <summary>Characters per property, under the service's 32K-character (64 KiB) limit.</summary>
    internal const int ChunkLength = 30_000;
    internal const int MaxChunks = 8;

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Definition { get; set; } = "";
    public string? Definition1 { get; set; }
    public string? Definition2 { get; set; }
    public string? Definition3 { get; set; }
    public string? Definition4 { get; set; }
    public string? Definition5 { get; set; }
    public string? Definition6 { get; set; }
    public string? Definition7 { get; set; }

    public static RolloutEntity From(string appId, RolloutDefinition rollout)
    {
        var json = RolloutJson.Write(rollout);
        if (json.Length > ChunkLength * MaxChunks)
            throw new InvalidDataException($"Rollout {appId}/{rollout.Id} is {json.Length} characters of JSON, over the {ChunkLength * MaxChunks} a row holds.");
        string? Chunk(int index) => json.Length > index * ChunkLength ? json.Substring(index * ChunkLength, Math.Min(ChunkLength, json.Length - (index * ChunkLength))) : null;
        return new()
        {
            PartitionKey = appId,
            RowKey = rollout.Id,
            Definition = Chunk(0) ?? "",
            Definition1 = Chunk(1),
            Definition2 = Chunk(2),
            Definition3 = Chunk(3),
            Definition4 = Chunk(4),
            Definition5 = Chunk(5),
            Definition6 = Chunk(6),
            Definition7 = Chunk(7),
        };
    }

    public RolloutDefinition ToDomain()
    {
        var json = string.Concat(Definition, Definition1, Definition2, Definition3, Definition4, Definition5, Definition6, Definition7);
        return RolloutJson.TryParse(json, out var rollout)
            ? rollout
            : throw new InvalidDataException($"Stored rollout {PartitionKey}/{RowKey} is invalid.");
    }
}
