using System.Security.Cryptography;
using UpdateFunctions.Core.Crypto;

namespace UpdateFunctions.Interop.Tests;

/// <summary>
/// Our encryption against the real <c>@capgo/cli</c> (pinned in tests/interop): each side decrypts and verifies what
/// the other encrypted, in both checksum forms, with keys made by either side.
/// </summary>
[Collection(CapgoCliCollection.Name)]
[Trait("Category", "Interop")]
public sealed class CapgoInteropTests(CapgoCli cli)
{
    [Theory]
    [InlineData(CapgoChecksumFormat.Hex)]
    [InlineData(CapgoChecksumFormat.LegacyBase64)]
    public async Task A_bundle_we_encrypt_is_decrypted_by_the_Capgo_CLI_and_its_checksum_matches(CapgoChecksumFormat format)
    {
        using var owner = CapgoKeyPair.Create();
        using var project = new CapgoProject(owner.PublicKeyPem);
        File.WriteAllText(project.Path(CapgoKeyPair.PublicKeyFileName), owner.PublicKeyPem);
        var zip = project.WriteZip("plain.zip");

        CapgoEncryptionResult encryption;
        await using (var output = File.Create(project.Path("bundle.zip")))
            encryption = await CapgoBundleEncryption.EncryptAsync(new MemoryStream(zip), output, owner.PrivateKey, format, CancellationToken.None);

        string[] arguments = ["bundle", "decrypt", "bundle.zip", encryption.SessionKey,
            "--checksum", encryption.Checksum, "--key", CapgoKeyPair.PublicKeyFileName];
        if (format == CapgoChecksumFormat.Hex)
            arguments = [.. arguments, "--package-json", "current-plugin.json"];
        var result = cli.Capgo(project.Directory, arguments);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Checksum matches", result.Output, StringComparison.Ordinal);
        Assert.Contains(format == CapgoChecksumFormat.Hex ? "with V3" : "with V2", result.Output, StringComparison.Ordinal);
        Assert.Equal(zip, File.ReadAllBytes(project.Path("bundle.zip_decrypted.zip")));
    }

    [Fact]
    public async Task The_Capgo_CLI_rejects_our_checksum_for_other_bytes()
    {
        using var owner = CapgoKeyPair.Create();
        using var project = new CapgoProject(owner.PublicKeyPem);
        File.WriteAllText(project.Path(CapgoKeyPair.PublicKeyFileName), owner.PublicKeyPem);
        var zip = project.WriteZip("plain.zip");
        CapgoEncryptionResult encryption;
        await using (var output = File.Create(project.Path("bundle.zip")))
            encryption = await CapgoBundleEncryption.EncryptAsync(new MemoryStream(zip), output, owner.PrivateKey, CapgoChecksumFormat.Hex, CancellationToken.None);
        var wrong = CapgoBundleEncryption.EncryptChecksum(Convert.ToHexStringLower(SHA256.HashData([1, 2, 3])), owner.PrivateKey, CapgoChecksumFormat.Hex);

        var result = cli.Capgo(project.Directory, "bundle", "decrypt", "bundle.zip", encryption.SessionKey,
            "--checksum", wrong, "--key", CapgoKeyPair.PublicKeyFileName, "--package-json", "current-plugin.json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Checksum does not match", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bundle_the_Capgo_CLI_encrypts_with_its_own_keys_is_decrypted_and_verified_by_us(bool currentPlugin)
    {
        using var project = new CapgoProject();
        var created = cli.Capgo(project.Directory, "key", "create");
        Assert.True(File.Exists(project.Path(CapgoKeyPair.PrivateKeyFileName)), created.Output);
        var zip = project.WriteZip("plain.zip");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(zip));

        string[] arguments = ["bundle", "encrypt", "plain.zip", sha256, "--json"];
        if (currentPlugin)
            arguments = [.. arguments, "--package-json", "current-plugin.json"];
        var result = cli.Capgo(project.Directory, arguments);
        Assert.True(result.ExitCode == 0, result.Output);
        var json = CapgoProject.JsonOutput(result);
        var checksum = json.GetProperty("checksum").GetString()!;
        var sessionKey = json.GetProperty("ivSessionKey").GetString()!;

        using var publicKey = CapgoKeyPair.ImportPublicKeyPem(File.ReadAllText(project.Path(CapgoKeyPair.PublicKeyFileName)));
        using var plain = new MemoryStream();
        await using (var encrypted = File.OpenRead(project.Path("plain.zip_encrypted.zip")))
        {
            var decryptedSha256 = await CapgoBundleEncryption.DecryptAsync(encrypted, plain, sessionKey, publicKey, CancellationToken.None);
            Assert.Equal(sha256, decryptedSha256);
        }
        Assert.Equal(zip, plain.ToArray());
        Assert.Equal(currentPlugin ? 512 : 344, checksum.Length); // hex or base64 of one 256-byte RSA block
        Assert.True(CapgoBundleEncryption.VerifyChecksum(checksum, sha256, publicKey));
        using var stranger = CapgoKeyPair.Create();
        Assert.False(CapgoBundleEncryption.VerifyChecksum(checksum, sha256, stranger.PrivateKey));
    }

    [Fact]
    public void Keys_the_Capgo_CLI_creates_load_in_our_code_and_export_byte_for_byte_the_same()
    {
        using var project = new CapgoProject();
        var created = cli.Capgo(project.Directory, "key", "create");
        var privatePem = File.ReadAllText(project.Path(CapgoKeyPair.PrivateKeyFileName));
        var publicPem = File.ReadAllText(project.Path(CapgoKeyPair.PublicKeyFileName));
        Assert.True(privatePem.Length > 0, created.Output);

        using var pair = CapgoKeyPair.FromPrivateKeyPem(privatePem);

        Assert.Equal(privatePem, pair.PrivateKeyPem);
        Assert.Equal(publicPem, pair.PublicKeyPem);
        Assert.Equal(publicPem.Split('\n')[1][..20], pair.KeyId);
        Assert.Equal(CapgoKeyPair.KeyIdOf(publicPem), pair.KeyId);
    }

    [Fact]
    public async Task The_Capgo_CLI_encrypts_with_a_key_we_created_and_we_decrypt_it()
    {
        using var owner = CapgoKeyPair.Create();
        using var project = new CapgoProject(owner.PublicKeyPem);
        File.WriteAllText(project.Path(CapgoKeyPair.PrivateKeyFileName), owner.PrivateKeyPem);
        var zip = project.WriteZip("plain.zip");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(zip));

        var result = cli.Capgo(project.Directory, "bundle", "encrypt", "plain.zip", sha256, "--json",
            "--key", CapgoKeyPair.PrivateKeyFileName, "--package-json", "current-plugin.json");
        Assert.True(result.ExitCode == 0, result.Output);
        var json = CapgoProject.JsonOutput(result);

        using var plain = new MemoryStream();
        await using (var encrypted = File.OpenRead(project.Path("plain.zip_encrypted.zip")))
            await CapgoBundleEncryption.DecryptAsync(encrypted, plain, json.GetProperty("ivSessionKey").GetString()!, owner.PrivateKey, CancellationToken.None);
        Assert.Equal(zip, plain.ToArray());
        // Type-1 padding is deterministic: the CLI's encrypted checksum is exactly ours.
        Assert.Equal(CapgoBundleEncryption.EncryptChecksum(sha256, owner.PrivateKey, CapgoChecksumFormat.Hex), json.GetProperty("checksum").GetString());
    }
}
