using System.IO.Hashing;
using System.Text;

namespace UpdateFunctions.Core.Apps;

/// <summary>
/// The device rows of a snapshot packed for size (an app may hold a million): rows sorted by a 64-bit hash of the
/// device id, ids as UTF-8 in one buffer (compared on lookup, so a hash collision is harmless), and the three
/// channel/bundle names as indexes into one interned name list. About 60 bytes per row with a 36-character id,
/// where a dictionary of records costs several times that. Immutable.
/// </summary>
internal sealed class CompactDeviceTable
{
    public static readonly CompactDeviceTable Empty = Build([]);

    private readonly ulong[] _hashes;
    private readonly int[] _idStarts;
    private readonly byte[] _ids;
    private readonly int[] _fields;
    private readonly string?[] _names;

    private CompactDeviceTable(ulong[] hashes, int[] idStarts, byte[] ids, int[] fields, string?[] names)
    {
        _hashes = hashes;
        _idStarts = idStarts;
        _ids = ids;
        _fields = fields;
        _names = names;
    }

    public int Count => _hashes.Length;

    /// <summary>Bytes held by the arrays of this table (the snapshot's device memory, measured by the bench).</summary>
    public long ArrayBytes =>
        (_hashes.LongLength * sizeof(ulong)) + (_idStarts.LongLength * sizeof(int)) + _ids.LongLength + (_fields.LongLength * sizeof(int))
        + (_names.LongLength * IntPtr.Size);

    public static CompactDeviceTable Build(IEnumerable<DeviceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records as IReadOnlyCollection<DeviceRecord> ?? records.ToList();
        var keyed = new (ulong Hash, DeviceRecord Record)[rows.Count];
        var i = 0;
        foreach (var record in rows)
            keyed[i++] = (Hash(Encoding.UTF8.GetBytes(record.DeviceId)), record);
        Array.Sort(keyed, static (a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : string.CompareOrdinal(a.Record.DeviceId, b.Record.DeviceId));

        var names = new List<string?> { null };
        var nameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Intern(string? name)
        {
            if (name is null)
                return 0;
            if (!nameIndex.TryGetValue(name, out var index))
            {
                index = names.Count;
                names.Add(name);
                nameIndex[name] = index;
            }
            return index;
        }

        var hashes = new ulong[keyed.Length];
        var idStarts = new int[keyed.Length + 1];
        var fields = new int[keyed.Length * 3];
        var idBytes = 0;
        foreach (var (_, record) in keyed)
            idBytes += Encoding.UTF8.GetByteCount(record.DeviceId);
        var ids = new byte[idBytes];
        var offset = 0;
        for (i = 0; i < keyed.Length; i++)
        {
            var (hash, record) = keyed[i];
            if (i > 0 && hash == hashes[i - 1] && string.Equals(record.DeviceId, keyed[i - 1].Record.DeviceId, StringComparison.Ordinal))
                throw new ArgumentException($"Device {record.DeviceId} appears twice.", nameof(records));
            hashes[i] = hash;
            idStarts[i] = offset;
            offset += Encoding.UTF8.GetBytes(record.DeviceId, ids.AsSpan(offset));
            fields[(3 * i) + 0] = Intern(record.OverrideChannel);
            fields[(3 * i) + 1] = Intern(record.PinnedBundle);
            fields[(3 * i) + 2] = Intern(record.SelfAssignedChannel);
        }
        idStarts[keyed.Length] = offset;
        return new CompactDeviceTable(hashes, idStarts, ids, fields, [.. names]);
    }

    /// <summary>The record of <paramref name="deviceId"/>; the returned record reuses the caller's id string.</summary>
    public DeviceRecord? Find(string deviceId)
    {
        var index = IndexOf(deviceId);
        return index < 0 ? null : Record(index, deviceId);
    }

    public bool Contains(string deviceId) => IndexOf(deviceId) >= 0;

    public IEnumerable<DeviceRecord> Records()
    {
        for (var i = 0; i < _hashes.Length; i++)
            yield return Record(i, Encoding.UTF8.GetString(_ids, _idStarts[i], _idStarts[i + 1] - _idStarts[i]));
    }

    /// <summary>Distinct bundles pinned on any device, without materialising the rows.</summary>
    public IEnumerable<string> PinnedBundles()
    {
        var seen = new HashSet<int>();
        for (var i = 1; i < _fields.Length; i += 3)
        {
            if (_fields[i] != 0 && seen.Add(_fields[i]))
                yield return _names[_fields[i]]!;
        }
    }

    internal static ulong Hash(ReadOnlySpan<byte> utf8DeviceId) => XxHash3.HashToUInt64(utf8DeviceId);

    /// <summary>
    /// Writes the rows in their stored (hash) order: the names, then per row the UTF-8 id and three name indexes, so
    /// <see cref="ReadFrom"/> rebuilds the arrays without sorting or allocating a string per row.
    /// </summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_names.Length - 1);
        for (var n = 1; n < _names.Length; n++)
            writer.Write(_names[n]!);
        writer.Write(_hashes.Length);
        for (var i = 0; i < _hashes.Length; i++)
        {
            var id = _ids.AsSpan(_idStarts[i], _idStarts[i + 1] - _idStarts[i]);
            writer.Write7BitEncodedInt(id.Length);
            writer.Write(id);
            writer.Write7BitEncodedInt(_fields[3 * i]);
            writer.Write7BitEncodedInt(_fields[(3 * i) + 1]);
            writer.Write7BitEncodedInt(_fields[(3 * i) + 2]);
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; anything inconsistent is <see cref="InvalidDataException"/>.</summary>
    public static CompactDeviceTable ReadFrom(BinaryReader reader)
    {
        var names = new string?[checked(reader.ReadInt32() + 1)];
        for (var n = 1; n < names.Length; n++)
            names[n] = string.Intern(reader.ReadString());
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length)
            throw new InvalidDataException($"Impossible row count {count}.");
        var hashes = new ulong[count];
        var idStarts = new int[count + 1];
        var fields = new int[count * 3];
        var ids = new byte[Math.Min(reader.BaseStream.Length, (long)count * 64)];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var length = reader.Read7BitEncodedInt();
            if (length <= 0 || length > 4096)
                throw new InvalidDataException($"Impossible device id length {length}.");
            if (offset + length > ids.Length)
                Array.Resize(ref ids, Math.Max(ids.Length * 2, offset + length));
            reader.BaseStream.ReadExactly(ids, offset, length);
            idStarts[i] = offset;
            hashes[i] = Hash(ids.AsSpan(offset, length));
            if (i > 0 && hashes[i] < hashes[i - 1])
                throw new InvalidDataException("Device rows are out of order.");
            offset += length;
            for (var f = 0; f < 3; f++)
            {
                var name = reader.Read7BitEncodedInt();
                if ((uint)name >= (uint)names.Length)
                    throw new InvalidDataException($"Name index {name} out of range.");
                fields[(3 * i) + f] = name;
            }
        }
        idStarts[count] = offset;
        Array.Resize(ref ids, offset);
        return new CompactDeviceTable(hashes, idStarts, ids, fields, names);
    }

    private DeviceRecord Record(int index, string deviceId) =>
        new(deviceId, _names[_fields[3 * index]], _names[_fields[(3 * index) + 1]], _names[_fields[(3 * index) + 2]]);

    private int IndexOf(string deviceId)
    {
        Span<byte> utf8 = deviceId.Length <= 256 ? stackalloc byte[deviceId.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(deviceId.Length)];
        var length = Encoding.UTF8.GetBytes(deviceId, utf8);
        var hash = Hash(utf8[..length]);
        var index = Array.BinarySearch(_hashes, hash);
        if (index < 0)
            return -1;
        while (index > 0 && _hashes[index - 1] == hash)
            index--;

        for (; index < _hashes.Length && _hashes[index] == hash; index++)
        {
            if (_ids.AsSpan(_idStarts[index], _idStarts[index + 1] - _idStarts[index]).SequenceEqual(utf8[..length]))
                return index;
        }
        return -1;
    }
}
