using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>devices</c>: PK = the device's bucket of the app (<see cref="DevicePartitions"/>), RK = device id.</summary>
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
        PartitionKey = DevicePartitions.Of(appId, device.DeviceId),
        RowKey = device.DeviceId,
        OverrideChannel = device.OverrideChannel,
        PinnedBundle = device.PinnedBundle,
        SelfAssignedChannel = device.SelfAssignedChannel,
    };

    public DeviceRecord ToDomain() => new(RowKey, OverrideChannel, PinnedBundle, SelfAssignedChannel);
}
