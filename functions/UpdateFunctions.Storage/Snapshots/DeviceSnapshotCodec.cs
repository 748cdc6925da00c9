using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>
/// The device rows of an app as one brotli blob: a header (format, change-log position, when the rows were read), the interned channel and
/// bundle names, each row as its id and three name indexes, and an XxHash64 of all of it. Anything that does not
/// decode and check out is <see cref="InvalidDataException"/>, never half a snapshot.
/// </summary>
internal static class DeviceSnapshotCodec
{
    private const uint Magic = 0x56444655; // "UFDV"
    private const int FormatVersion = 2;

    public static byte[] Encode(long position, long takenAt, IReadOnlyCollection<DeviceRecord> devices)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var device in devices)
            {
                foreach (var name in (string?[])[device.OverrideChannel, device.PinnedBundle, device.SelfAssignedChannel])
                {
                    if (name is not null)
                        names.TryAdd(name, names.Count + 1);
                }
            }

            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(position);
            writer.Write(takenAt);
            writer.Write(names.Count);
            foreach (var name in names.OrderBy(n => n.Value).Select(n => n.Key))
                writer.Write(name);
            writer.Write(devices.Count);
            foreach (var device in devices)
            {
                writer.Write(device.DeviceId);
                writer.Write7BitEncodedInt(Index(names, device.OverrideChannel));
                writer.Write7BitEncodedInt(Index(names, device.PinnedBundle));
                writer.Write7BitEncodedInt(Index(names, device.SelfAssignedChannel));
            }
            writer.Write(XxHash64.HashToUInt64(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
        }

        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            brotli.Write(payload.GetBuffer(), 0, (int)payload.Length);
        return compressed.ToArray();
    }

    public static (long Position, long TakenAt, List<DeviceRecord> Devices) Decode(Stream compressed)
    {
        try
        {
            using var payload = new MemoryStream();
            using (var brotli = new BrotliStream(compressed, CompressionMode.Decompress, leaveOpen: true))
                brotli.CopyTo(payload);
            var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
            if (bytes.Length < 8 || XxHash64.HashToUInt64(bytes[..^8]) != BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]))
                throw new InvalidDataException("The device snapshot's checksum does not match its content.");

            payload.Position = 0;
            using var reader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
                throw new InvalidDataException("Not a device snapshot of a known format.");
            var position = reader.ReadInt64();
            var takenAt = reader.ReadInt64();
            var names = new string?[reader.ReadInt32() + 1];
            for (var i = 1; i < names.Length; i++)
                names[i] = string.Intern(reader.ReadString());
            var count = reader.ReadInt32();
            var devices = new List<DeviceRecord>(count);
            for (var i = 0; i < count; i++)
                devices.Add(new DeviceRecord(reader.ReadString(), names[reader.Read7BitEncodedInt()], names[reader.Read7BitEncodedInt()], names[reader.Read7BitEncodedInt()]));
            return (position, takenAt, devices);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"The device snapshot cannot be decoded: {ex.Message}", ex);
        }
    }

    private static int Index(Dictionary<string, int> names, string? name) => name is null ? 0 : names[name];
}
