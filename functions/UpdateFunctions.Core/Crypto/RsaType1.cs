using System.Numerics;
using System.Security.Cryptography;

namespace UpdateFunctions.Core.Crypto;

/// <summary>
/// "Private-key encryption" and its inverse with RSA PKCS#1 v1.5 block type 1 (RFC 8017 §7.2 / RFC 2313 §8.1): what
/// Node's <c>crypto.privateEncrypt</c> / <c>publicDecrypt</c> with <c>RSA_PKCS1_PADDING</c> do, and what the Capgo CLI
/// and the updater plugin use for the session key and the checksum. .NET has no public API for it:
/// <see cref="RSA.SignHash(byte[], HashAlgorithmName, RSASignaturePadding)"/> would wrap the data in a DigestInfo, so
/// the block is padded here and the raw RSA primitive is a <see cref="BigInteger.ModPow"/>.
/// </summary>
/// <remarks>
/// The private operation is not constant-time (BigInteger, no blinding). It runs only on the owner's machine (the CLI),
/// on data the owner chose, a few times per upload, so no remote party can time it; the server never holds a private key.
/// </remarks>
public static class RsaType1
{
    /// <summary>Minimum number of 0xFF padding bytes (RFC 8017: PS is at least eight octets).</summary>
    private const int MinPadding = 8;

    /// <summary>The largest payload a key can carry: modulus length minus 11.</summary>
    public static int MaxDataLength(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ModulusLength(key) - 3 - MinPadding;
    }

    /// <summary>Pads <paramref name="data"/> as <c>00 01 FF…FF 00 data</c> and applies the private exponent.</summary>
    public static byte[] PrivateEncrypt(ReadOnlySpan<byte> data, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var p = privateKey.ExportParameters(includePrivateParameters: true);
        try
        {
            var k = p.Modulus!.Length;
            if (data.Length > k - 3 - MinPadding)
                throw new ArgumentException($"At most {k - 3 - MinPadding} bytes fit in one block of a {k * 8}-bit key.", nameof(data));

            var block = new byte[k];
            block[1] = 0x01;
            block.AsSpan(2, k - 3 - data.Length).Fill(0xFF);
            data.CopyTo(block.AsSpan(k - data.Length));
            var result = Apply(block, p.D!, p.Modulus);
            CryptographicOperations.ZeroMemory(block);
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
            CryptographicOperations.ZeroMemory(p.P);
            CryptographicOperations.ZeroMemory(p.Q);
            CryptographicOperations.ZeroMemory(p.DP);
            CryptographicOperations.ZeroMemory(p.DQ);
            CryptographicOperations.ZeroMemory(p.InverseQ);
        }
    }

    /// <summary>
    /// Applies the public exponent to <paramref name="block"/> and strips the type-1 padding ("verify-recover").
    /// False when the block has not the modulus length or is not a well-formed type-1 block: wrong key or tampered data.
    /// </summary>
    public static bool TryPublicDecrypt(ReadOnlySpan<byte> block, RSA publicKey, out byte[] data)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        data = [];
        var p = publicKey.ExportParameters(includePrivateParameters: false);
        var k = p.Modulus!.Length;
        if (block.Length != k)
            return false;
        var c = new BigInteger(block, isUnsigned: true, isBigEndian: true);
        if (c >= new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true))
            return false;

        var m = Apply(block, p.Exponent!, p.Modulus);
        if (m[0] != 0x00 || m[1] != 0x01)
            return false;
        var i = 2;
        while (i < k && m[i] == 0xFF)
            i++;
        if (i - 2 < MinPadding || i == k || m[i] != 0x00)
            return false;
        data = m[(i + 1)..];
        return true;
    }

    /// <summary>Like <see cref="TryPublicDecrypt"/>, throwing <see cref="CryptographicException"/> on failure.</summary>
    public static byte[] PublicDecrypt(ReadOnlySpan<byte> block, RSA publicKey) =>
        TryPublicDecrypt(block, publicKey, out var data)
            ? data
            : throw new CryptographicException("The RSA block does not recover with this public key (wrong key or altered data).");

    private static int ModulusLength(RSA key) => (key.KeySize + 7) / 8;

    /// <summary>Raw RSA: <c>input^exponent mod modulus</c>, as a big-endian block of the modulus length.</summary>
    private static byte[] Apply(ReadOnlySpan<byte> input, byte[] exponent, byte[] modulus)
    {
        var n = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        var result = BigInteger.ModPow(
            new BigInteger(input, isUnsigned: true, isBigEndian: true),
            new BigInteger(exponent, isUnsigned: true, isBigEndian: true),
            n);
        var output = new byte[modulus.Length];
        var written = result.GetByteCount(isUnsigned: true);
        result.TryWriteBytes(output.AsSpan(output.Length - written), out _, isUnsigned: true, isBigEndian: true);
        return output;
    }
}
