using UpdateFunctions.Core.Bundles;

namespace UpdateFunctions.Core.Apps;

/// <summary>An uploaded (or externally hosted) bundle version of an app (table <c>bundles</c>).</summary>
/// <param name="Version">Strict semver of the bundle.</param>
/// <param name="BlobPath">Path of the zip in the bundles container (<c>{appId}/{sha256}.zip</c>), or null when external.</param>
/// <param name="ExternalUrl">Absolute URL of an externally hosted zip, or null when stored by us.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of the zip (or its RSA-encrypted form for encrypted bundles).</param>
/// <param name="SessionKey"><c>base64(iv):base64(encrypted AES key)</c> for encrypted bundles, else empty.</param>
/// <param name="KeyId">Fingerprint of the public key the bundle was encrypted for, if any.</param>
/// <param name="MinUpdateVersion">Lowest native version allowed to take this bundle (policy <c>version_number</c>).</param>
/// <param name="Manifest">The per-file manifest built when the zip was committed (partial updates); null when there is none.</param>
/// <param name="ManifestUnavailable">
/// Why there is no manifest (<see cref="ManifestUnavailableReasons"/>); null with no manifest either means the bundle
/// was committed before manifests were built.
/// </param>
public sealed record BundleDefinition(
    string Version,
    string? BlobPath,
    string? ExternalUrl,
    string Checksum,
    long Size,
    string SessionKey = "",
    string? KeyId = null,
    string? MinUpdateVersion = null,
    string? Link = null,
    string? Comment = null,
    DateTimeOffset? CreatedAt = null,
    BundleManifestInfo? Manifest = null,
    string? ManifestUnavailable = null)
{
    /// <summary>Encrypted bundles carry a session key; their devices decrypt the zip (and would expect encrypted files).</summary>
    public bool IsEncrypted => !string.IsNullOrEmpty(SessionKey);
}
