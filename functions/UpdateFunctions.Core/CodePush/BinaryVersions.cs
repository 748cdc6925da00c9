using System.Diagnostics.CodeAnalysis;
using Semver;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// Binary versions and target binary ranges as the CodePush protocol uses them: npm range syntax
/// (<see cref="SemVersionRange.ParseNpm(string, int)"/>, the Semver package, not a hand parser) and binary versions
/// padded the way the archived server padded them (<c>1</c> → <c>1.0.0</c>, <c>2.0</c> → <c>2.0.0</c>).
/// </summary>
public static class BinaryVersions
{
    public const int MaxRangeLength = 128;

    public static bool TryParseRange(string? range, [NotNullWhen(true)] out SemVersionRange? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(range) || range.Length > MaxRangeLength)
            return false;
        return SemVersionRange.TryParseNpm(range, out parsed, MaxRangeLength);
    }

    /// <summary>A binary version as devices send it, padded to strict semver; false when it is not a version.</summary>
    public static bool TryParseAppVersion(string? appVersion, [NotNullWhen(true)] out SemVersion? version)
    {
        version = null;
        return BundleVersion.NormalizeNative(appVersion) is { } padded && BundleVersion.TryParse(padded, out version);
    }

    /// <summary>npm's <c>semver.gtr</c>: the version is above every version the range holds.</summary>
    public static bool IsAbove(SemVersion version, SemVersionRange range)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(range);
        var any = false;
        foreach (var part in range)
        {
            any = true;
            if (part.End is null)
                return false; // unbounded above
            var order = version.ComparePrecedenceTo(part.End);
            if (order < 0 || (order == 0 && part.EndInclusive))
                return false;
        }
        return any;
    }
}
