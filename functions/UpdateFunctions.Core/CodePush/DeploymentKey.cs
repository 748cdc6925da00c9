using System.Security.Cryptography;
using System.Text;
using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// A CodePush deployment key: what an app embeds to name one app, one channel and one platform (App Center had one
/// app per platform, so its keys were per platform too). Only the SHA-256 of the key is stored (table
/// <c>codepushkeys</c>, partition = hash), so a device's key is found with one in-memory lookup.
/// </summary>
/// <param name="Id">Public id (<c>dk_…</c>) to list, rotate and delete the key by; never accepted by devices.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the key's UTF-8 text.</param>
public sealed record DeploymentKey(
    string Id,
    string Hash,
    string AppId,
    string Channel,
    Platform Platform,
    string Name,
    DateTimeOffset CreatedAt,
    string? CreatedBy = null)
{
    /// <summary>The archived server accepted keys of 10 to 100 characters; ours are 43.</summary>
    public const int MinLength = 10;
    public const int MaxLength = 100;

    /// <summary>A new random key (256 bits, URL-safe base64) and its public id.</summary>
    public static (string Key, string Id) Generate() =>
        (Base64Url(RandomNumberGenerator.GetBytes(32)), "dk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    public static string HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The shape every CodePush server accepted: 10-100 letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is not { Length: >= MinLength and <= MaxLength })
            return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                return false;
        }
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
