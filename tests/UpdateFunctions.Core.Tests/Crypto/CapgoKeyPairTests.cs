using System.Security.Cryptography;
using UpdateFunctions.Core.Crypto;

namespace UpdateFunctions.Core.Tests.Crypto;

public sealed class CapgoKeyPairTests
{
    [Fact]
    public void A_new_key_pair_is_RSA_2048_in_PKCS1_PEM()
    {
        using var pair = CapgoKeyPair.Create();

        Assert.Equal(2048, pair.PrivateKey.KeySize);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----\n", pair.PrivateKeyPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END RSA PRIVATE KEY-----\n", pair.PrivateKeyPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PUBLIC KEY-----\n", pair.PublicKeyPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END RSA PUBLIC KEY-----\n", pair.PublicKeyPem, StringComparison.Ordinal);
        Assert.All(pair.PublicKeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.True(line.Length <= 64));
    }

    [Fact]
    public void The_private_key_PEM_loads_back_to_the_same_key()
    {
        using var pair = CapgoKeyPair.Create();
        using var loaded = CapgoKeyPair.FromPrivateKeyPem(pair.PrivateKeyPem);

        Assert.Equal(pair.PublicKeyPem, loaded.PublicKeyPem);
        Assert.Equal(pair.KeyId, loaded.KeyId);
    }

    [Fact]
    public void The_public_key_PEM_loads_as_a_public_only_key()
    {
        using var pair = CapgoKeyPair.Create();
        using var publicKey = CapgoKeyPair.ImportPublicKeyPem(pair.PublicKeyPem);

        Assert.Equal(pair.PrivateKey.ExportParameters(false).Modulus, publicKey.ExportParameters(false).Modulus);
        Assert.ThrowsAny<CryptographicException>(() => publicKey.ExportParameters(true));
    }

    [Fact]
    public void A_PKCS8_private_key_is_refused_as_the_Capgo_CLI_refuses_it()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<FormatException>(() => CapgoKeyPair.FromPrivateKeyPem(rsa.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public void A_subject_public_key_info_PEM_is_refused_as_the_plugin_refuses_it()
    {
        using var rsa = RSA.Create(2048);
        Assert.Throws<FormatException>(() => CapgoKeyPair.ImportPublicKeyPem(rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void A_key_of_another_size_is_refused()
    {
        using var rsa = RSA.Create(1024);
        Assert.Throws<FormatException>(() => CapgoKeyPair.FromPrivateKeyPem(rsa.ExportRSAPrivateKeyPem()));
    }

    [Fact]
    public void The_key_id_is_the_first_20_characters_of_the_PEM_body()
    {
        using var pair = CapgoKeyPair.Create();
        var body = pair.PublicKeyPem.Split('\n')[1];

        Assert.Equal(body[..20], pair.KeyId);
        Assert.StartsWith("MIIBCgKCAQEA", pair.KeyId, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_id_ignores_line_endings_and_indentation()
    {
        using var pair = CapgoKeyPair.Create();
        var crlf = "  " + pair.PublicKeyPem.Replace("\n", "\r\n", StringComparison.Ordinal);

        Assert.Equal(pair.KeyId, CapgoKeyPair.KeyIdOf(crlf));
    }

    [Fact]
    public void The_key_id_agrees_with_the_management_API_rule()
    {
        using var pair = CapgoKeyPair.Create();

        Assert.True(UpdateFunctions.Core.Management.AppService.TryKeyIdOf(pair.PublicKeyPem, out var keyId));
        Assert.Equal(pair.KeyId, keyId);
    }
}
