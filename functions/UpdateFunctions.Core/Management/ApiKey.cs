using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.Core.Management;

/// <summary>A stored API key (table <c>apikeys</c>): only the SHA-256 of the secret is kept.</summary>
/// <param name="Id">Public id of the key, used to list and revoke it and recorded in the audit log.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the UTF-8 secret.</param>
/// <param name="Apps">App ids the key is limited to, or null for every app.</param>
public sealed record ApiKey(
    string Id,
    string Hash,
    string Name,
    ApiRole Role,
    IReadOnlyList<string>? Apps,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null)
{
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>Minting and hashing of API key secrets: <c>uf_</c> + base64url of 32 random bytes (43 characters).</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "uf_";
    public const int SecretBytes = 32;

    /// <summary>A new random secret and its hash.</summary>
    public static (string Secret, string Hash) Mint()
    {
        Span<byte> bytes = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(bytes);
        var secret = Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Hash(secret));
    }

    /// <summary>A new key id: <c>k_</c> + 16 hex digits of randomness.</summary>
    public static string NewId() => "k_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a key (cheap check before any lookup).</summary>
    public static bool LooksLikeKey([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) => value is { Length: > 3 and <= 256 };
}
