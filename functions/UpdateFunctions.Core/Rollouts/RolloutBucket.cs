using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>
/// Deterministic bucketing of devices into a rollout: <c>SHA-256(salt + ":" + deviceId)</c>, first 8 bytes read
/// big-endian as an unsigned 64-bit number, modulo 10 000 — a basis point 0..9999. The same salt and device always land
/// in the same bucket (in every process: never <see cref="string.GetHashCode()"/>), so raising the percentage only adds
/// devices; a new rollout has a new salt and so reshuffles. The modulo bias (2^64 mod 10 000 over 2^64) is below 1e-15.
/// </summary>
public static class RolloutBucket
{
    public const int Buckets = 10_000;
    private const int StackLimit = 512;

    /// <summary>The device's bucket, 0..9999. Allocation-free for salts and ids of ordinary length.</summary>
    public static int Of(string salt, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(deviceId);
        var length = Encoding.UTF8.GetByteCount(salt) + 1 + Encoding.UTF8.GetByteCount(deviceId);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(salt, buffer);
            buffer[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(deviceId, buffer[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether a device is inside <paramref name="percent"/> % of the rollout: its bucket is below percent × 100.</summary>
    public static bool IsIn(string salt, string deviceId, int percent) =>
        percent >= 100 || (percent > 0 && Of(salt, deviceId) < percent * 100);
}
