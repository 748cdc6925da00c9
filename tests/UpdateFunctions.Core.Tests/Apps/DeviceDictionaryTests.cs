using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Tests.Apps;

public sealed class DeviceDictionaryTests
{
    private static readonly DeviceRecord[] Rows =
    [
        new("a1", OverrideChannel: "beta"),
        new("b2", PinnedBundle: "1.0.0"),
        new("c3", SelfAssignedChannel: "beta"),
        new("d4", "alpha", "1.0.1", "beta"),
    ];

    [Fact]
    public void Every_row_is_found_by_its_id_and_unknown_ids_are_not()
    {
        var devices = DeviceDictionary.From(Rows);

        Assert.All(Rows, row => Assert.Equal(row, devices.TryGetValue(row.DeviceId, out var found) ? found : null));
        Assert.False(devices.ContainsKey("zz"));
        Assert.Equal(4, devices.Count);
        Assert.Equal(Rows.OrderBy(r => r.DeviceId, StringComparer.Ordinal), devices.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal));
    }

    [Fact]
    public void Applied_changes_set_add_and_remove_rows_without_touching_the_original()
    {
        var original = DeviceDictionary.From(Rows);

        var changed = original.Apply(
        [
            new("a1", new DeviceRecord("a1", OverrideChannel: "alpha")),
            new("new", new DeviceRecord("new", SelfAssignedChannel: "beta")),
            new("b2", null),
            new("c3", new DeviceRecord("c3")), // empty: the row goes
        ]);

        Assert.Equal("alpha", changed["a1"].OverrideChannel);
        Assert.Equal("beta", changed["new"].SelfAssignedChannel);
        Assert.False(changed.ContainsKey("b2"));
        Assert.False(changed.ContainsKey("c3"));
        Assert.Equal(3, changed.Count);
        Assert.Equal(3, changed.Values.Count());
        Assert.Equal("beta", original["a1"].OverrideChannel);
        Assert.Equal(4, original.Count);
    }

    [Fact]
    public void Compacting_keeps_the_rows_and_empties_the_overlay()
    {
        var changed = DeviceDictionary.From(Rows).Apply([new("b2", null), new("e5", new DeviceRecord("e5", PinnedBundle: "2.0.0"))]);

        var compacted = changed.Compact();

        Assert.Equal(0, compacted.OverlayCount);
        Assert.Equal(changed.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal), compacted.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal));
        Assert.Equal(["1.0.1", "2.0.0"], compacted.PinnedBundles().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rebasing_replays_the_changes_made_after_the_compacted_state()
    {
        var before = DeviceDictionary.From(Rows).Apply([new("a1", null)]);
        var compacted = before.Compact();
        var later = before.Apply([new("f6", new DeviceRecord("f6", OverrideChannel: "beta")), new("c3", null)]);

        var rebased = later.RebaseOnto(compacted, before);

        Assert.Equal(later.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal), rebased.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal));
        Assert.Equal(2, rebased.OverlayCount);
    }

    [Fact]
    public void Written_rows_read_back_the_same_and_damaged_ones_are_refused()
    {
        var devices = DeviceDictionary.From(Enumerable.Range(0, 1000).Select(i => new DeviceRecord($"device-{i}", i % 2 == 0 ? "beta" : null, i % 3 == 0 ? "1.0.0" : null)));
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            devices.WriteTo(writer);

        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        var read = DeviceDictionary.ReadFrom(reader);
        var bytes = buffer.ToArray();
        bytes[^2] = 200; // a name index out of range
        using var damaged = new BinaryReader(new MemoryStream(bytes));

        Assert.Equal(devices.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal), read.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal));
        Assert.Throws<InvalidDataException>(() => DeviceDictionary.ReadFrom(damaged));
    }
}
