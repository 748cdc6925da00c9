using System.Security.Cryptography;
using UpdateFunctions.Core.Crypto;

namespace UpdateFunctions.Core.Tests.Crypto;

public sealed class RsaType1Tests
{
    private static readonly RSA Key = RSA.Create(2048);

    [Fact]
    public void Private_encryption_recovers_with_the_public_key()
    {
        var data = RandomNumberGenerator.GetBytes(32);
        var block = RsaType1.PrivateEncrypt(data, Key);

        Assert.Equal(256, block.Length);
        Assert.True(RsaType1.TryPublicDecrypt(block, PublicOnly(Key), out var recovered));
        Assert.Equal(data, recovered);
    }

    [Fact]
    public void The_block_before_the_private_exponent_is_type_1_padding()
    {
        var data = new byte[] { 1, 2, 3 };
        var block = RsaType1.PrivateEncrypt(data, Key);

        // Raise to the public exponent by hand: 00 01 FF..FF 00 data.
        var p = Key.ExportParameters(false);
        var m = System.Numerics.BigInteger.ModPow(
            new System.Numerics.BigInteger(block, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true);
        var expected = new byte[255];
        expected[0] = 0x01;
        expected.AsSpan(1, 255 - 1 - 1 - 3).Fill(0xFF);
        expected[^4] = 0x00;
        data.CopyTo(expected, 252);
        Assert.Equal(expected, m);
    }

    [Fact]
    public void Private_encryption_is_deterministic_unlike_type_2()
    {
        var data = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(RsaType1.PrivateEncrypt(data, Key), RsaType1.PrivateEncrypt(data, Key));
    }

    [Fact]
    public void Another_public_key_does_not_recover_the_data()
    {
        using var other = RSA.Create(2048);
        var block = RsaType1.PrivateEncrypt(RandomNumberGenerator.GetBytes(16), Key);

        Assert.False(RsaType1.TryPublicDecrypt(block, other, out _));
        Assert.Throws<CryptographicException>(() => RsaType1.PublicDecrypt(block, other));
    }

    [Fact]
    public void A_flipped_bit_in_the_block_does_not_recover()
    {
        var block = RsaType1.PrivateEncrypt(RandomNumberGenerator.GetBytes(16), Key);
        block[100] ^= 0x01;
        Assert.False(RsaType1.TryPublicDecrypt(block, Key, out _));
    }

    [Fact]
    public void A_block_of_the_wrong_length_does_not_recover()
    {
        var block = RsaType1.PrivateEncrypt(RandomNumberGenerator.GetBytes(16), Key);
        Assert.False(RsaType1.TryPublicDecrypt(block.AsSpan(1), Key, out _));
    }

    [Fact]
    public void Data_longer_than_the_modulus_minus_11_is_refused()
    {
        Assert.Equal(245, RsaType1.MaxDataLength(Key));
        RsaType1.PrivateEncrypt(new byte[245], Key);
        Assert.Throws<ArgumentException>(() => RsaType1.PrivateEncrypt(new byte[246], Key));
    }

    [Fact]
    public void An_empty_payload_round_trips()
    {
        var block = RsaType1.PrivateEncrypt([], Key);
        Assert.True(RsaType1.TryPublicDecrypt(block, Key, out var recovered));
        Assert.Empty(recovered);
    }

    private static RSA PublicOnly(RSA key)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(key.ExportParameters(false));
        return rsa;
    }
}
