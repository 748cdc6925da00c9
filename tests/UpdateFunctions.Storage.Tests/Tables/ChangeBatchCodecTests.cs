using UpdateFunctions.Core.Apps;
using UpdateFunctions.Storage.Changes;
using UpdateFunctions.Storage.Tables;

namespace UpdateFunctions.Storage.Tests.Tables;

public sealed class ChangeBatchCodecTests
{
    private const string AppId = "com.test.codec";

    private static readonly CatalogChange[] Changes =
    [
        new(AppId, CatalogEntityKind.Device, "joined", 100, Known: true, new DeviceRecord("joined", SelfAssignedChannel: "beta")),
        new(AppId, CatalogEntityKind.Device, "pinned", 101, Known: true, new DeviceRecord("pinned", "production", "1.0.0")),
        new(AppId, CatalogEntityKind.Device, "gone", 102, Known: true, null),
        new(AppId, CatalogEntityKind.Device, CatalogChange.ImportKey, 103, Known: false, null),
        new(AppId, CatalogEntityKind.Channel, "beta", 104, Known: true, new ChannelDefinition("beta", 2, "1.0.0")),
        new(AppId, CatalogEntityKind.Rollout, "r-1", 105, Known: true, null),
    ];

    [Fact]
    public void Device_changes_come_back_with_their_state_and_other_kinds_as_rows_to_read_back()
    {
        var read = ChangeBatchCodec.Read(AppId, Encode(Changes, refetch: false));

        Assert.Equal(Changes.Select(c => (c.Kind, c.Key, c.Position)), read.Select(c => (c.Kind, c.Key, c.Position)));
        Assert.Equal(Changes[0].Value, read[0].Value);
        Assert.Equal(Changes[1].Value, read[1].Value);
        Assert.True(read[2].Known);
        Assert.Null(read[2].Value); // a tombstone
        Assert.True(read[3].IsImport);
        Assert.All(read.Skip(3), c => Assert.False(c.Known)); // the import and the small tables are read back
    }

    [Fact]
    public void A_refetch_carries_no_state_so_readers_read_the_row_itself()
    {
        var read = ChangeBatchCodec.Read(AppId, Encode(Changes[..3], refetch: true));

        Assert.All(read, c => Assert.False(c.Known));
        Assert.Equal(["joined", "pinned", "gone"], read.Select(c => c.Key));
    }

    [Fact]
    public void Truncated_or_unknown_packed_changes_are_invalid_data_not_half_a_batch()
    {
        var packed = Encode(Changes, refetch: false);

        Assert.Throws<InvalidDataException>(() => ChangeBatchCodec.Read(AppId, packed[..^3]));
        Assert.Throws<InvalidDataException>(() => ChangeBatchCodec.Read(AppId, [99, .. packed[1..]]));
        Assert.Throws<InvalidDataException>(() => ChangeBatchCodec.Read(AppId, [packed[0], 200, .. packed[2..]]));
    }

    private static byte[] Encode(IEnumerable<CatalogChange> changes, bool refetch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            ChangeBatchCodec.WriteHeader(writer);
            foreach (var change in changes)
                ChangeBatchCodec.Write(writer, change, refetch);
        }
        return buffer.ToArray();
    }
}
