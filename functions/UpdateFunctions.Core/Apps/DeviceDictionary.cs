using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace UpdateFunctions.Core.Apps;

/// <summary>
/// The device rows of an app snapshot: a compact immutable base (built at load) plus a small immutable overlay of the
/// changes applied since (a removed row is a tombstone in it). Applying k changes costs O(k log k), not a rebuild of
/// the million rows, so a <c>channel_self</c> write lands in the snapshot at once; <see cref="Compact"/> folds the
/// overlay into a new base off the hot path.
/// </summary>
public sealed class DeviceDictionary : IReadOnlyDictionary<string, DeviceRecord>
{
    public static readonly DeviceDictionary Empty = new(CompactDeviceTable.Empty, ImmutableDictionary<string, DeviceRecord?>.Empty.WithComparers(StringComparer.Ordinal), 0);

    private readonly CompactDeviceTable _base;
    private readonly ImmutableDictionary<string, DeviceRecord?> _overlay;

    private DeviceDictionary(CompactDeviceTable table, ImmutableDictionary<string, DeviceRecord?> overlay, int count)
    {
        _base = table;
        _overlay = overlay;
        Count = count;
    }

    public static DeviceDictionary From(IEnumerable<DeviceRecord> records)
    {
        var table = CompactDeviceTable.Build(records);
        return new DeviceDictionary(table, Empty._overlay, table.Count);
    }

    public int Count { get; }

    /// <summary>Writes the rows compactly (the overlay folded in) for <see cref="ReadFrom"/>; the snapshot blob's body.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Compact()._base.WriteTo(writer);
    }

    /// <summary>Rows written by <see cref="WriteTo"/>, rebuilt without a sort or a string per row; bad data throws <see cref="InvalidDataException"/>.</summary>
    public static DeviceDictionary ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var table = CompactDeviceTable.ReadFrom(reader);
        return new DeviceDictionary(table, Empty._overlay, table.Count);
    }

    /// <summary>Changes held in the overlay since the base was built.</summary>
    public int OverlayCount => _overlay.Count;

    /// <summary>Bytes of the compact base's arrays, for the bench's memory figure.</summary>
    public long BaseBytes => _base.ArrayBytes;

    /// <summary>These rows with <paramref name="changes"/> applied in order (a null record removes the device).</summary>
    public DeviceDictionary Apply(IEnumerable<KeyValuePair<string, DeviceRecord?>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var overlay = _overlay.ToBuilder();
        var count = Count;
        foreach (var (deviceId, record) in changes)
        {
            var existed = ContainsIn(overlay, deviceId);
            var exists = record is { IsEmpty: false };
            count += (exists ? 1 : 0) - (existed ? 1 : 0);
            overlay[deviceId] = exists ? record : null;
        }
        return new DeviceDictionary(_base, overlay.ToImmutable(), count);
    }

    /// <summary>The same rows with the overlay folded into a new compact base (O(rows)).</summary>
    public DeviceDictionary Compact() => _overlay.IsEmpty ? this : From(Values);

    /// <summary>
    /// These rows moved onto <paramref name="compacted"/>, the compacted form of <paramref name="compactedFrom"/> (an
    /// earlier state of these rows): the changes applied since that state are replayed on it. Lets a compaction run
    /// outside the lock while writes keep landing.
    /// </summary>
    public DeviceDictionary RebaseOnto(DeviceDictionary compacted, DeviceDictionary compactedFrom)
    {
        ArgumentNullException.ThrowIfNull(compacted);
        ArgumentNullException.ThrowIfNull(compactedFrom);
        if (ReferenceEquals(this, compactedFrom))
            return compacted;
        var since = new List<KeyValuePair<string, DeviceRecord?>>();
        foreach (var (deviceId, record) in _overlay)
        {
            if (!compactedFrom._overlay.TryGetValue(deviceId, out var before) || !ReferenceEquals(before, record))
                since.Add(new(deviceId, record));
        }
        return compacted.Apply(since);
    }

    /// <summary>Distinct bundles pinned on any device.</summary>
    public IEnumerable<string> PinnedBundles() =>
        _overlay.IsEmpty ? _base.PinnedBundles() : Values.Where(d => d.PinnedBundle is not null).Select(d => d.PinnedBundle!).Distinct(StringComparer.Ordinal);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out DeviceRecord value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_overlay.TryGetValue(key, out var changed))
        {
            value = changed;
            return changed is not null;
        }
        value = _base.Find(key);
        return value is not null;
    }

    public DeviceRecord this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No device {key}.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public IEnumerable<string> Keys => Values.Select(d => d.DeviceId);

    public IEnumerable<DeviceRecord> Values
    {
        get
        {
            foreach (var record in _base.Records())
            {
                if (!_overlay.ContainsKey(record.DeviceId))
                    yield return record;
            }
            foreach (var changed in _overlay.Values)
            {
                if (changed is not null)
                    yield return changed;
            }
        }
    }

    public IEnumerator<KeyValuePair<string, DeviceRecord>> GetEnumerator() =>
        Values.Select(d => new KeyValuePair<string, DeviceRecord>(d.DeviceId, d)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool ContainsIn(ImmutableDictionary<string, DeviceRecord?>.Builder overlay, string deviceId) =>
        overlay.TryGetValue(deviceId, out var changed) ? changed is not null : _base.Contains(deviceId);
}
