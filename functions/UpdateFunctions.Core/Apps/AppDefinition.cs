namespace UpdateFunctions.Core.Apps;

/// <summary>An app registered with the service (table <c>apps</c>).</summary>
/// <param name="Id">Reverse-DNS app id, e.g. <c>com.demo.app</c>.</param>
/// <param name="DefaultChannel">The public channel devices get when nothing else applies.</param>
/// <param name="PublicKey">PEM <c>RSA PUBLIC KEY</c> the app embeds when bundles are encrypted.</param>
/// <param name="KeyId">Fingerprint of <see cref="PublicKey"/> that devices send as <c>key_id</c>.</param>
/// <param name="CreatedAt">When the app was created through the management API (null for seeded apps).</param>
public sealed record AppDefinition(
    string Id,
    string Name,
    string? DefaultChannel,
    string? PublicKey = null,
    string? KeyId = null,
    DateTimeOffset? CreatedAt = null);
