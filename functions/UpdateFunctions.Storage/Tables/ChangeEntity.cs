using System.Globalization;
using Azure;
using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// Row of table <c>changes</c>: PK = app id, RK = position (19-digit UTC ticks) + writer id, so a RowKey range query
/// reads an app's changes in order. A device change carries the row's new state (none: deleted); other kinds name the
/// row, which the reader reads back. <see cref="Refetch"/> asks readers to read the row back whatever its kind.
/// A group commit of several changes is one row of kind <see cref="PackedKind"/> (<see cref="ChangeBatchCodec"/>),
/// keyed by the earliest position it holds: its writers check visibility against that one (a late row is logged again).
/// </summary>
internal sealed class ChangeEntity : ITableEntity
{
    private const int PositionDigits = 19;

    public const string PackedKind = "Packed";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";
    public string Key { get; set; } = "";
    public bool Deleted { get; set; }
    public bool Refetch { get; set; }
    public string? OverrideChannel { get; set; }
    public string? PinnedBundle { get; set; }
    public string? SelfAssignedChannel { get; set; }
    public byte[]? Changes { get; set; }

    /// <summary>The smallest RowKey of a change positioned at <paramref name="position"/> or later.</summary>
    public static string From(long position) => position.ToString("D" + PositionDigits, CultureInfo.InvariantCulture);

    public static ChangeEntity From(CatalogChange change, string writerId, bool refetch)
    {
        var device = change.Kind == CatalogEntityKind.Device && !refetch ? change.Value as DeviceRecord : null;
        return new()
        {
            PartitionKey = change.AppId,
            RowKey = From(change.Position) + writerId,
            Kind = change.Kind.ToString(),
            Key = change.Key,
            Refetch = refetch,
            Deleted = change.Value is null && !refetch,
            OverrideChannel = device?.OverrideChannel,
            PinnedBundle = device?.PinnedBundle,
            SelfAssignedChannel = device?.SelfAssignedChannel,
        };
    }

    /// <summary>A row of several changes (<paramref name="packed"/> from <see cref="ChangeBatchCodec"/>), keyed by the earliest of them.</summary>
    public static ChangeEntity Packed(string appId, long earliestPosition, string writerId, int count, byte[] packed) => new()
    {
        PartitionKey = appId,
        RowKey = From(earliestPosition) + writerId,
        Kind = PackedKind,
        Key = count.ToString(CultureInfo.InvariantCulture),
        Changes = packed,
    };

    /// <summary>The change or changes this row holds.</summary>
    public IEnumerable<CatalogChange> ToChanges() =>
        Kind == PackedKind
            ? ChangeBatchCodec.Read(PartitionKey, Changes ?? throw new InvalidDataException($"Change {PartitionKey}/{RowKey} is packed without changes."))
            : [ToDomain()];

    public CatalogChange ToDomain()
    {
        if (RowKey.Length < PositionDigits || !long.TryParse(RowKey.AsSpan(0, PositionDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            || !Enum.TryParse<CatalogEntityKind>(Kind, out var kind))
            throw new InvalidDataException($"Change {PartitionKey}/{RowKey} is invalid.");
        if (kind != CatalogEntityKind.Device || Refetch || Key == CatalogChange.ImportKey)
            return new CatalogChange(PartitionKey, kind, Key, position, Known: false, Value: null);
        var record = Deleted ? null : new DeviceRecord(Key, OverrideChannel, PinnedBundle, SelfAssignedChannel);
        return new CatalogChange(PartitionKey, kind, Key, position, Known: true, record);
    }
}
