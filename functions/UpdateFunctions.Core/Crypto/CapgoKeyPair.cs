using System.Security.Cryptography;

namespace UpdateFunctions.Core.Crypto;

/// <summary>
/// The app owner's RSA-2048 key pair in the formats of the Capgo tooling (<c>@capgo/cli key create</c>):
/// <c>.capgo_key_v2</c> is the private key as PEM <c>RSA PRIVATE KEY</c> (PKCS#1), <c>.capgo_key_v2.pub</c> the public
/// key as PEM <c>RSA PUBLIC KEY</c> (PKCS#1), which the app embeds (<c>plugins.CapacitorUpdater.publicKey</c>).
/// </summary>
public sealed class CapgoKeyPair : IDisposable
{
    public const int KeySizeInBits = 2048;
    public const string PrivateKeyFileName = ".capgo_key_v2";
    public const string PublicKeyFileName = ".capgo_key_v2.pub";

    private const string PublicBegin = "-----BEGIN RSA PUBLIC KEY-----";
    private const string PublicEnd = "-----END RSA PUBLIC KEY-----";
    private const string PrivateBegin = "-----BEGIN RSA PRIVATE KEY-----";

    private CapgoKeyPair(RSA key) => PrivateKey = key;

    /// <summary>The private key; it stays with the owner and never reaches the server.</summary>
    public RSA PrivateKey { get; }

    /// <summary>The public key as the Capgo CLI writes it: PKCS#1 PEM, 64-character lines, a final newline.</summary>
    public string PublicKeyPem => ExportPublicKeyPem(PrivateKey);

    /// <summary>The private key as the Capgo CLI writes it: PKCS#1 PEM <c>RSA PRIVATE KEY</c>, a final newline.</summary>
    public string PrivateKeyPem => PrivateKey.ExportRSAPrivateKeyPem() + "\n";

    /// <summary>The key id the plugin reports and the CLI records (see <see cref="KeyIdOf(string)"/>).</summary>
    public string KeyId => KeyIdOf(PublicKeyPem);

    public static CapgoKeyPair Create() => new(RSA.Create(KeySizeInBits));

    /// <summary>Loads a <c>.capgo_key_v2</c>; only PEM <c>RSA PRIVATE KEY</c> is accepted, as the Capgo CLI does.</summary>
    public static CapgoKeyPair FromPrivateKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!pem.TrimStart().StartsWith(PrivateBegin, StringComparison.Ordinal))
            throw new FormatException($"A Capgo private key is a PEM '{PrivateBegin}' (PKCS#1).");
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != KeySizeInBits)
                throw new FormatException($"A Capgo key is RSA-{KeySizeInBits}; this one has {key.KeySize} bits.");
            return new CapgoKeyPair(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads a public key given as PEM <c>RSA PUBLIC KEY</c> (what the app embeds).</summary>
    public static RSA ImportPublicKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!pem.TrimStart().StartsWith(PublicBegin, StringComparison.Ordinal))
            throw new FormatException($"A Capgo public key is a PEM '{PublicBegin}' (PKCS#1).");
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Any RSA key's public half in the Capgo PEM form (PKCS#1 <c>RSA PUBLIC KEY</c>, final newline).</summary>
    public static string ExportPublicKeyPem(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportRSAPublicKeyPem() + "\n";
    }

    /// <summary>
    /// Capgo's key id, as the plugin (<c>CryptoCipher.calcKeyId</c>) and the CLI compute it: the PEM text without its
    /// <c>RSA PUBLIC KEY</c> markers and whitespace, first 20 characters. For RSA-2048 the first 12 are always
    /// <c>MIIBCgKCAQEA</c> (the DER header), so only 8 characters (48 bits) come from the modulus: it names a key, it does
    /// not authenticate one.
    /// </summary>
    public static string KeyIdOf(string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        var body = string.Concat(publicKeyPem.Where(c => !char.IsWhiteSpace(c)))
            .Replace(PublicBegin.Replace(" ", "", StringComparison.Ordinal), "", StringComparison.Ordinal)
            .Replace(PublicEnd.Replace(" ", "", StringComparison.Ordinal), "", StringComparison.Ordinal);
        return body.Length >= 20 ? body[..20] : body;
    }

    public void Dispose() => PrivateKey.Dispose();
}
