using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Storage.Snapshots;

/// <summary>
/// The device rows of an app as one brotli blob: a header (format, change-log position, when the rows were read), the
/// rows in <see cref="DeviceDictionary.WriteTo"/>'s compact form (read back without a sort or a string per row), and
/// an XxHash64 of all of it. Anything that does not
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
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(position);
            writer.Write(takenAt);
            DeviceDictionary.From(devices).WriteTo(writer);
            writer.Flush();
            writer.Write(XxHash64.HashToUInt64(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
        }

        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            brotli.Write(payload.GetBuffer(), 0, (int)payload.Length);
        return compressed.ToArray();
    }

    public static (long Position, long TakenAt, DeviceDictionary Devices) Decode(Stream compressed)
    {
        try
        {
            using var payload = new MemoryStream();
            using (var brotli = new BrotliStream(compressed, CompressionMode.Decompress, leaveOpen: true))
                brotli.CopyTo(payload);
            var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
            if (bytes.Length < 8 || XxHash64.HashToUInt64(bytes[..^8]) != BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]))
                throw new InvalidDataException("The device snapshot's checksum does not match its content.");

            payload.SetLength(payload.Length - 8);
            payload.Position = 0;
            using var reader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
                throw new InvalidDataException("Not a device snapshot of a known format.");
            var position = reader.ReadInt64();
            var takenAt = reader.ReadInt64();
            return (position, takenAt, DeviceDictionary.ReadFrom(reader));
        }
        catch (Exception ex) when (ex is EndOfStreamException or IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException
            or OverflowException or OutOfMemoryException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"The device snapshot cannot be decoded: {ex.Message}", ex);
        }
    }
}
