using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>
/// Every random choice of a simulation is a hash of the seed and what is being chosen, never a shared
/// <see cref="Random"/>: the same seed gives the same devices and the same failures whatever the concurrency and
/// the order the devices happen to run in.
/// </summary>
public static class DeterministicRandom
{
    /// <summary>A number in [0, 1) from SHA-256 of <paramref name="key"/>.</summary>
    public static double Unit(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        // 53 bits: every value is exactly representable as a double below 1.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A random-looking (version 4, RFC 9562 variant) lower-case UUID for device <paramref name="index"/> of a seed.</summary>
    public static string DeviceId(int seed, int index)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"device:{seed}:{index}")), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
