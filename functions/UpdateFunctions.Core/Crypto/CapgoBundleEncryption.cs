using System.Security.Cryptography;

namespace UpdateFunctions.Core.Crypto;

/// <summary>
/// Capgo "v2" end-to-end encryption of bundles, byte-compatible with <c>@capgo/cli</c> (<c>bundle encrypt</c>,
/// <c>bundle decrypt</c>, <c>bundle upload</c> with a key) and the updater plugin's <c>CryptoCipher</c>:
/// a random AES-128 key and IV per bundle, the zip in AES-128-CBC with PKCS#7 padding, the AES key and the checksum
/// encrypted with the owner's RSA private key (PKCS#1 v1.5 type 1), both recovered on the device with the public key.
/// The checksum is always the SHA-256 of the <em>plain</em> zip: the device decrypts first, then hashes.
/// </summary>
public static class CapgoBundleEncryption
{
    private const int AesKeyLength = 16;
    private const int BufferSize = 81920;

    /// <summary>
    /// Encrypts <paramref name="zip"/> into <paramref name="destination"/> in one pass (hashing both sides on the way).
    /// </summary>
    public static async Task<CapgoEncryptionResult> EncryptAsync(
        Stream zip, Stream destination, RSA privateKey, CapgoChecksumFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(privateKey);

        var key = RandomNumberGenerator.GetBytes(AesKeyLength);
        var iv = RandomNumberGenerator.GetBytes(AesKeyLength);
        try
        {
            var sessionKey = Convert.ToBase64String(iv) + ":" + Convert.ToBase64String(RsaType1.PrivateEncrypt(key, privateKey));

            using var plainHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var counter = new HashingStream(destination);
            using var aes = Aes.Create();
            using var encryptor = aes.CreateEncryptor(key, iv);
            await using (var crypto = new CryptoStream(counter, encryptor, CryptoStreamMode.Write, leaveOpen: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await zip.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    plainHash.AppendData(buffer, 0, read);
                    await crypto.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                await crypto.FlushFinalBlockAsync(cancellationToken);
            }

            var plainSha256 = Convert.ToHexStringLower(plainHash.GetHashAndReset());
            return new CapgoEncryptionResult(
                sessionKey, EncryptChecksum(plainSha256, privateKey, format), plainSha256, counter.Sha256Hex(), counter.Length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Encrypts a lower-case hex SHA-256 in the given <paramref name="format"/>.</summary>
    public static string EncryptChecksum(string sha256Hex, RSA privateKey, CapgoChecksumFormat format)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException("A checksum is the 64 hex digits of a SHA-256.", nameof(sha256Hex));
        var hex = sha256Hex.ToLowerInvariant();
        return format switch
        {
            CapgoChecksumFormat.Hex => Convert.ToHexStringLower(RsaType1.PrivateEncrypt(Convert.FromHexString(hex), privateKey)),
            CapgoChecksumFormat.LegacyBase64 => Convert.ToBase64String(RsaType1.PrivateEncrypt(Convert.FromBase64String(hex), privateKey)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown checksum format."),
        };
    }

    /// <summary>
    /// Decrypts an encrypted zip as the plugin does and returns the lower-case hex SHA-256 of the plain bytes written to
    /// <paramref name="destination"/>. A wrong public key or an altered session key or zip throws
    /// <see cref="CryptographicException"/> (in the rare case AES padding survives a wrong key, the checksum catches it).
    /// </summary>
    public static async Task<string> DecryptAsync(
        Stream encrypted, Stream destination, string sessionKey, RSA publicKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(destination);
        var (iv, key) = OpenSessionKey(sessionKey, publicKey);
        try
        {
            using var aes = Aes.Create();
            using var decryptor = aes.CreateDecryptor(key, iv);
            using var counter = new HashingStream(destination);
            await using (var crypto = new CryptoStream(counter, decryptor, CryptoStreamMode.Write, leaveOpen: true))
            {
                await encrypted.CopyToAsync(crypto, BufferSize, cancellationToken);
                await crypto.FlushFinalBlockAsync(cancellationToken);
            }
            return counter.Sha256Hex();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Recovers the hex SHA-256 from an encrypted checksum in either form, as the plugin reads it: a pure hex string is
    /// hex, anything else base64; the bytes must be one RSA block. False for a wrong key, altered data or another shape.
    /// </summary>
    public static bool TryDecryptChecksum(string encryptedChecksum, RSA publicKey, out string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(encryptedChecksum);
        ArgumentNullException.ThrowIfNull(publicKey);
        sha256Hex = "";
        var text = encryptedChecksum.Trim();
        var block = new byte[text.Length];
        int length;
        if (text.Length > 0 && text.All(char.IsAsciiHexDigit))
        {
            if (text.Length % 2 != 0)
                return false;
            block = Convert.FromHexString(text);
            length = block.Length;
        }
        else if (!Convert.TryFromBase64String(text, block, out length))
        {
            return false;
        }

        if (!RsaType1.TryPublicDecrypt(block.AsSpan(0, length), publicKey, out var recovered))
            return false;
        switch (recovered.Length)
        {
            case 32:
                sha256Hex = Convert.ToHexStringLower(recovered);
                return true;
            case 48:
                var legacy = Convert.ToBase64String(recovered);
                if (!legacy.All(char.IsAsciiHexDigit))
                    return false;
                sha256Hex = legacy.ToLowerInvariant();
                return true;
            default:
                return false;
        }
    }

    /// <summary>True when <paramref name="encryptedChecksum"/> recovers, with this public key, to <paramref name="expectedSha256Hex"/>.</summary>
    public static bool VerifyChecksum(string encryptedChecksum, string expectedSha256Hex, RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(expectedSha256Hex);
        return TryDecryptChecksum(encryptedChecksum, publicKey, out var actual)
            && string.Equals(actual, expectedSha256Hex.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits <c>IV:KEY</c> and recovers the AES key with the public key.</summary>
    private static (byte[] Iv, byte[] Key) OpenSessionKey(string sessionKey, RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        ArgumentNullException.ThrowIfNull(publicKey);
        var parts = sessionKey.Trim().Split(':');
        if (parts.Length != 2)
            throw new FormatException("A session key is 'IV_BASE64:KEY_BASE64'.");
        byte[] iv, block;
        try
        {
            iv = Convert.FromBase64String(parts[0]);
            block = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException e)
        {
            throw new FormatException("A session key is 'IV_BASE64:KEY_BASE64'.", e);
        }
        if (iv.Length != AesKeyLength)
            throw new FormatException($"The session key's IV must be {AesKeyLength} bytes.");
        var key = RsaType1.PublicDecrypt(block, publicKey);
        if (key.Length != AesKeyLength)
            throw new CryptographicException($"The session key does not hold an AES-128 key ({key.Length} bytes recovered).");
        return (iv, key);
    }

    /// <summary>A write-only pass-through that hashes and counts what goes to the inner stream.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            _length += buffer.Length;
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
