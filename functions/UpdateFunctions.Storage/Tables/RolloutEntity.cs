using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>rollouts</c>: PK = app id, RK = rollout id; the rollout in its JSON form (<see cref="RolloutJson"/>).</summary>
internal sealed class RolloutEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Definition { get; set; } = "";

    public static RolloutEntity From(string appId, RolloutDefinition rollout) => new()
    {
        PartitionKey = appId,
        RowKey = rollout.Id,
        Definition = RolloutJson.Write(rollout),
    };

    public RolloutDefinition ToDomain() =>
        RolloutJson.TryParse(Definition, out var rollout)
            ? rollout
            : throw new InvalidDataException($"Stored rollout {PartitionKey}/{RowKey} is invalid.");
}
