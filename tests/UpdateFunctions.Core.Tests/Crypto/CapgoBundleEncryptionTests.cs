using System.Security.Cryptography;
using UpdateFunctions.Core.Crypto;

namespace UpdateFunctions.Core.Tests.Crypto;

public sealed class CapgoBundleEncryptionTests
{
    private static readonly CapgoKeyPair Owner = CapgoKeyPair.Create();
    private static readonly RSA AppKey = CapgoKeyPair.ImportPublicKeyPem(Owner.PublicKeyPem);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(100_000)]
    public async Task A_bundle_encrypted_with_the_private_key_decrypts_with_the_public_key(int size)
    {
        var zip = RandomNumberGenerator.GetBytes(size);
        var (encrypted, result) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);

        using var plain = new MemoryStream();
        var sha256 = await CapgoBundleEncryption.DecryptAsync(new MemoryStream(encrypted), plain, result.SessionKey, AppKey, CancellationToken.None);

        Assert.Equal(zip, plain.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), sha256);
        Assert.True(CapgoBundleEncryption.VerifyChecksum(result.Checksum, sha256, AppKey));
    }

    [Fact]
    public async Task The_result_describes_the_plain_and_the_encrypted_bytes()
    {
        var zip = RandomNumberGenerator.GetBytes(1000);
        var (encrypted, result) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);

        Assert.Equal(1008, encrypted.Length); // AES-CBC with PKCS#7 pads to the next 16-byte block
        Assert.Equal(encrypted.Length, result.EncryptedSize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), result.PlainSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(encrypted)), result.EncryptedSha256);
    }

    [Fact]
    public async Task The_zip_is_AES_128_CBC_with_the_key_and_IV_of_the_session_key()
    {
        var zip = RandomNumberGenerator.GetBytes(500);
        var (encrypted, result) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);

        var parts = result.SessionKey.Split(':');
        var iv = Convert.FromBase64String(parts[0]);
        var rsaBlock = Convert.FromBase64String(parts[1]);
        Assert.Equal(16, iv.Length);
        Assert.Equal(256, rsaBlock.Length);
        var key = RsaType1.PublicDecrypt(rsaBlock, AppKey);
        Assert.Equal(16, key.Length);

        using var aes = Aes.Create();
        aes.Key = key;
        Assert.Equal(zip, aes.DecryptCbc(encrypted, iv, PaddingMode.PKCS7));
    }

    [Fact]
    public async Task Each_bundle_gets_its_own_key_and_IV()
    {
        var zip = RandomNumberGenerator.GetBytes(64);
        var (first, a) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);
        var (second, b) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);

        Assert.NotEqual(a.SessionKey, b.SessionKey);
        Assert.NotEqual(first, second);
        Assert.Equal(a.Checksum, b.Checksum); // the checksum depends only on the plain zip and the key
    }

    [Fact]
    public async Task The_hex_checksum_is_256_bytes_that_recover_to_the_raw_digest()
    {
        var zip = RandomNumberGenerator.GetBytes(300);
        var (_, result) = await EncryptAsync(zip, CapgoChecksumFormat.Hex);

        Assert.Equal(512, result.Checksum.Length);
        Assert.True(result.Checksum.All(char.IsAsciiHexDigitLower));
        var recovered = RsaType1.PublicDecrypt(Convert.FromHexString(result.Checksum), AppKey);
        Assert.Equal(SHA256.HashData(zip), recovered);
    }

    [Fact]
    public async Task The_legacy_checksum_is_256_bytes_whose_recovered_base64_is_the_hex_checksum()
    {
        var zip = RandomNumberGenerator.GetBytes(300);
        var (_, result) = await EncryptAsync(zip, CapgoChecksumFormat.LegacyBase64);

        var block = Convert.FromBase64String(result.Checksum);
        Assert.Equal(256, block.Length);
        var recovered = RsaType1.PublicDecrypt(block, AppKey);
        Assert.Equal(48, recovered.Length);
        Assert.Equal(result.PlainSha256, Convert.ToBase64String(recovered));
        Assert.True(CapgoBundleEncryption.VerifyChecksum(result.Checksum, result.PlainSha256, AppKey));
    }

    [Theory]
    [InlineData(CapgoChecksumFormat.Hex)]
    [InlineData(CapgoChecksumFormat.LegacyBase64)]
    public void A_checksum_of_other_bytes_does_not_verify(CapgoChecksumFormat format)
    {
        var checksum = CapgoBundleEncryption.EncryptChecksum(Convert.ToHexStringLower(SHA256.HashData([1])), Owner.PrivateKey, format);

        Assert.False(CapgoBundleEncryption.VerifyChecksum(checksum, Convert.ToHexStringLower(SHA256.HashData([2])), AppKey));
    }

    [Theory]
    [InlineData(CapgoChecksumFormat.Hex)]
    [InlineData(CapgoChecksumFormat.LegacyBase64)]
    public void A_checksum_does_not_verify_with_another_public_key(CapgoChecksumFormat format)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData([1]));
        var checksum = CapgoBundleEncryption.EncryptChecksum(sha, Owner.PrivateKey, format);
        using var stranger = CapgoKeyPair.Create();

        Assert.False(CapgoBundleEncryption.VerifyChecksum(checksum, sha, stranger.PrivateKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a checksum")]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")] // a plain SHA-256: not encrypted
    public void A_checksum_that_is_not_an_RSA_block_does_not_verify(string checksum)
    {
        Assert.False(CapgoBundleEncryption.TryDecryptChecksum(checksum, AppKey, out _));
    }

    [Fact]
    public async Task Decrypting_with_another_public_key_fails()
    {
        var (encrypted, result) = await EncryptAsync(RandomNumberGenerator.GetBytes(100), CapgoChecksumFormat.Hex);
        using var stranger = CapgoKeyPair.Create();

        await Assert.ThrowsAsync<CryptographicException>(() =>
            CapgoBundleEncryption.DecryptAsync(new MemoryStream(encrypted), Stream.Null, result.SessionKey, stranger.PrivateKey, CancellationToken.None));
    }

    [Fact]
    public async Task A_tampered_zip_fails_its_checksum_or_its_padding()
    {
        var (encrypted, result) = await EncryptAsync(RandomNumberGenerator.GetBytes(4096), CapgoChecksumFormat.Hex);
        encrypted[100] ^= 0x40;

        using var plain = new MemoryStream();
        var sha256 = await CapgoBundleEncryption.DecryptAsync(new MemoryStream(encrypted), plain, result.SessionKey, AppKey, CancellationToken.None);

        Assert.False(CapgoBundleEncryption.VerifyChecksum(result.Checksum, sha256, AppKey));
    }

    [Theory]
    [InlineData("no-colon")]
    [InlineData("a:b:c")]
    [InlineData("AAAA:AAAA")]
    [InlineData("%%%:AAAA")]
    public async Task A_malformed_session_key_is_refused_as_a_format_error(string sessionKey)
    {
        // Not IV:KEY, or an IV that is not 16 bytes: refused before any decryption, as a FormatException.
        await Assert.ThrowsAsync<FormatException>(() =>
            CapgoBundleEncryption.DecryptAsync(new MemoryStream(new byte[16]), Stream.Null, sessionKey, AppKey, CancellationToken.None));
    }

    [Fact]
    public void A_checksum_must_be_a_SHA_256()
    {
        Assert.Throws<ArgumentException>(() => CapgoBundleEncryption.EncryptChecksum("abcd", Owner.PrivateKey, CapgoChecksumFormat.Hex));
    }

    private static async Task<(byte[] Encrypted, CapgoEncryptionResult Result)> EncryptAsync(byte[] zip, CapgoChecksumFormat format)
    {
        using var output = new MemoryStream();
        var result = await CapgoBundleEncryption.EncryptAsync(new MemoryStream(zip), output, Owner.PrivateKey, format, CancellationToken.None);
        return (output.ToArray(), result);
    }
}
