using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>devices</c>: PK = app id, RK = device id.</summary>
internal sealed class DeviceEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? OverrideChannel { get; set; }
    public string? PinnedBundle { get; set; }
    public string? SelfAssignedChannel { get; set; }

    public static DeviceEntity From(string appId, DeviceRecord device) => new()
    {
        PartitionKey = appId,
        RowKey = device.DeviceId,
        OverrideChannel = device.OverrideChannel,
        PinnedBundle = device.PinnedBundle,
        SelfAssignedChannel = device.SelfAssignedChannel,
    };

    public DeviceRecord ToDomain() => new(RowKey, OverrideChannel, PinnedBundle, SelfAssignedChannel);
}
