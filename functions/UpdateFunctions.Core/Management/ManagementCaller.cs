namespace UpdateFunctions.Core.Management;

/// <summary>Who is calling the management API: an authenticated key with its role and app limit.</summary>
/// <param name="KeyId">The key id, or <c>bootstrap</c> for the configured bootstrap key; recorded in the audit log.</param>
/// <param name="Apps">App ids the key is limited to, or null for every app.</param>
/// <param name="Name">The key's name as minted (the bootstrap key has none).</param>
/// <param name="ExpiresAt">When the key stops working, or null for never.</param>
public sealed record ManagementCaller(string KeyId, ApiRole Role, IReadOnlyList<string>? Apps, string? Name = null, DateTimeOffset? ExpiresAt = null)
{
    public const string BootstrapKeyId = "bootstrap";

    public bool Has(ApiRole required) => Role >= required;

    public bool IsLimited => Apps is not null;

    public bool MaySee(string appId) => Apps is null || Apps.Contains(appId, StringComparer.Ordinal);
}
