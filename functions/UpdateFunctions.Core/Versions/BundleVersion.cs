using System.Diagnostics.CodeAnalysis;
using Semver;

namespace UpdateFunctions.Core.Versions;

/// <summary>
/// Strict semantic-version rules of the protocol, on top of the Semver package (SemVer 2.0.0, no leading
/// zeros, no "v" prefix). Comparisons use precedence, so build metadata never orders two versions.
/// </summary>
public static class BundleVersion
{
    /// <summary>The device runs the bundle built into its binary.</summary>
    public const string Builtin = "builtin";

    /// <summary>Older plugins send this before their first successful update.</summary>
    public const string Unknown = "unknown";

    /// <summary>Semver strings are bounded so a hostile body cannot make parsing expensive.</summary>
    public const int MaxLength = 64;

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out SemVersion? version)
    {
        version = null;
        if (value is null || value.Length == 0 || value.Length > MaxLength)
            return false;
        return SemVersion.TryParse(value, SemVersionStyles.Strict, out version);
    }

    public static bool IsValid([NotNullWhen(true)] string? value) => TryParse(value, out _);

    /// <summary>
    /// Pads a native version the way Capgo does before validating it: <c>1</c> → <c>1.0.0</c>, <c>1.2</c> → <c>1.2.0</c>.
    /// Returns null when the result is still not strict semver.
    /// </summary>
    public static string? NormalizeNative(string? value)
    {
        if (value is null || value.Length == 0 || value.Length > MaxLength)
            return null;
        var coreEnd = value.AsSpan().IndexOfAny('-', '+');
        var core = coreEnd < 0 ? value.AsSpan() : value.AsSpan(0, coreEnd);
        var suffix = coreEnd < 0 ? string.Empty : value[coreEnd..];
        var padded = core.Count('.') switch
        {
            0 => string.Concat(core, ".0.0", suffix),
            1 => string.Concat(core, ".0", suffix),
            _ => value,
        };
        return IsValid(padded) ? padded : null;
    }

    /// <summary>Precedence order of two valid versions (negative when <paramref name="left"/> is older).</summary>
    public static int Compare(SemVersion left, SemVersion right) => left.ComparePrecedenceTo(right);
}
