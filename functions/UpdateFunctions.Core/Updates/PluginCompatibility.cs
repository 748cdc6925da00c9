using Semver;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Updates;

/// <summary>
/// Behaviour that depends on the plugin generation, with the cut-offs Capgo's backend uses
/// (<c>supabase/functions/_backend/utils/plugin_compatibility.ts</c> and <c>update.ts</c>). Each check parses the
/// plugin version only when a decision reaches it, so the common update check never pays for it.
/// </summary>
public static class PluginCompatibility
{
    private static readonly SemVersion LastLegacyKeyIdFormat = SemVersion.Parse("8.40.7", SemVersionStyles.Strict);
    private static readonly SemVersion FirstBuiltinReset = SemVersion.Parse("6.2.0", SemVersionStyles.Strict);
    private static readonly SemVersion FirstManifestV5 = SemVersion.Parse("5.10.0", SemVersionStyles.Strict);
    private static readonly SemVersion FirstManifestV6 = SemVersion.Parse("6.25.0", SemVersionStyles.Strict);
    private static readonly SemVersion FirstManifestV7 = SemVersion.Parse("7.0.35", SemVersionStyles.Strict);

    /// <summary>
    /// Plugins before 5.34.0, 6.34.0 and 7.34.0 do not keep a channel they assigned themselves and never send it
    /// back as <c>defaultChannel</c>: only the server-side record remembers it. Unknown versions are not legacy.
    /// </summary>
    public static bool IsLegacyChannelSelfAssignment(string? pluginVersion) =>
        BundleVersion.TryParse(pluginVersion, out var version)
        && version.Major < 8
        && (version.Major < 5 || version.Minor < 34);

    /// <summary>
    /// Plugins up to 8.40.7 send a short legacy <c>key_id</c> that never equals a current fingerprint, so comparing
    /// would block every encrypted bundle. Unknown versions are treated as legacy, as Capgo does.
    /// </summary>
    public static bool SendsCurrentKeyIdFormat(string? pluginVersion) =>
        BundleVersion.TryParse(pluginVersion, out var version)
        && BundleVersion.Compare(version, LastLegacyKeyIdFormat) > 0;

    /// <summary>
    /// Plugins before 6.2.0 cannot act on <c>{"version":"builtin"}</c>. An unknown version is given the benefit of
    /// the doubt: every plugin this service supports sends one.
    /// </summary>
    public static bool CanResetToBuiltin(string? pluginVersion) =>
        !BundleVersion.TryParse(pluginVersion, out var version)
        || BundleVersion.Compare(version, FirstBuiltinReset) >= 0;

    /// <summary>
    /// Whether the plugin downloads a manifest with brotli (<c>.br</c>) files: 5.10.0+, 6.25.0+, 7.0.35+ and every 8.x
    /// (Capgo's <c>BROTLI_MIN_UPDATER_VERSION_*</c>). Unlike Capgo, an unknown or pre-5 version gets the zip only: it
    /// always works, and an old plugin would write compressed bytes under a file's name.
    /// </summary>
    public static bool ReceivesManifest(string? pluginVersion)
    {
        if (!BundleVersion.TryParse(pluginVersion, out var version))
            return false;
        // Major is a BigInteger (any length of digits is valid semver): compared, never cast.
        var major = version.Major;
        if (major < 5)
            return false;
        if (major > 7)
            return true;
        var first = major == 5 ? FirstManifestV5 : major == 6 ? FirstManifestV6 : FirstManifestV7;
        return BundleVersion.Compare(version, first) >= 0;
    }
}
