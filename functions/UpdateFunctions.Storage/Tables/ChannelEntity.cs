using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Tables;

/// <summary>Row of table <c>channels</c>: PK = app id, RK = channel name. The policy is stored as its wire string.</summary>
internal sealed class ChannelEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public long Id { get; set; }
    public string? Bundle { get; set; }
    public bool Ios { get; set; }
    public bool Android { get; set; }
    public bool Electron { get; set; }
    public bool AllowDeviceSelfSet { get; set; }
    public bool AllowEmulator { get; set; }
    public bool AllowDevice { get; set; }
    public bool AllowDev { get; set; }
    public bool AllowProd { get; set; }
    public string DisableAutoUpdate { get; set; } = "";
    public bool DisableAutoUpdateUnderNative { get; set; }
    public string? ActiveRollout { get; set; }

    /// <summary>Absent on rows written before partial updates existed: false, as for a new channel.</summary>
    public bool PartialUpdates { get; set; }

    public static ChannelEntity From(string appId, ChannelDefinition channel) => new()
    {
        PartitionKey = appId,
        RowKey = channel.Name,
        Id = channel.Id,
        Bundle = channel.Bundle,
        Ios = channel.Ios,
        Android = channel.Android,
        Electron = channel.Electron,
        AllowDeviceSelfSet = channel.AllowDeviceSelfSet,
        AllowEmulator = channel.AllowEmulator,
        AllowDevice = channel.AllowDevice,
        AllowDev = channel.AllowDev,
        AllowProd = channel.AllowProd,
        DisableAutoUpdate = channel.DisableAutoUpdate.ToWire(),
        DisableAutoUpdateUnderNative = channel.DisableAutoUpdateUnderNative,
        PartialUpdates = channel.PartialUpdates,
        ActiveRollout = channel.ActiveRollout,
    };

    public ChannelDefinition ToDomain() => new(
        RowKey,
        Id,
        Bundle,
        Ios,
        Android,
        Electron,
        AllowDeviceSelfSet,
        AllowEmulator,
        AllowDevice,
        AllowDev,
        AllowProd,
        AutoUpdatePolicyNames.TryParse(DisableAutoUpdate, out var policy)
            ? policy
            : throw new InvalidDataException(
                $"Channel '{RowKey}' of app '{PartitionKey}' has an unknown disableAutoUpdate '{DisableAutoUpdate}'."),
        DisableAutoUpdateUnderNative,
        PartialUpdates,
        ActiveRollout);
}
