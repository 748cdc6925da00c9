using Semver;

namespace UpdateFunctions.Core.CodePush;

/// <summary>What a device running a CodePush app sent with its update check, validated.</summary>
/// <param name="AppVersionText">The binary version exactly as sent (returned as it came, as the client compares it).</param>
/// <param name="AppVersion">The same, padded to strict semver.</param>
/// <param name="IsCompanion">A companion app (e.g. a test shell) takes every release whatever its binary range.</param>
public sealed record CodePushCheck(string AppVersionText, SemVersion AppVersion, string? PackageHash, string? Label, bool IsCompanion);

/// <summary>The answer to a CodePush update check, before its download URL is filled in.</summary>
/// <param name="Release">The release to install, when <see cref="IsAvailable"/>.</param>
/// <param name="AppVersion">The binary version (or range) the answer names: the device's own version for an update,
/// the newest release's range when the device needs another binary.</param>
/// <param name="Reason">Why (a stable code, <see cref="CodePushReasons"/>).</param>
public sealed record CodePushAnswer(
    bool IsAvailable,
    CodePushRelease? Release,
    bool IsMandatory,
    string AppVersion,
    bool UpdateAppVersion,
    bool ShouldRunBinaryVersion,
    string Reason);

/// <summary>Why a CodePush check answered as it did (for tests and logs; not sent).</summary>
public static class CodePushReasons
{
    public const string Update = "update";
    public const string NoReleases = "no_releases";
    public const string UpToDate = "up_to_date";
    public const string NoReleaseForBinary = "no_release_for_binary";
    public const string NewerBinaryNeeded = "newer_binary_needed";
    public const string AllDisabled = "all_disabled";
    public const string ChannelClosedForPlatform = "channel_closed_for_platform";
}

/// <summary>
/// The CodePush update decision over one channel's release history. The channel (and its rollout, bucketed on the
/// device's <c>client_unique_id</c>) picks the bundle a device should get; the newest release of that bundle is the
/// device's <em>head</em>. Releases after the head are not offered (a rollout's target outside its cohort, or releases
/// a rollback stepped back over), releases a rollback moved past are never offered again, and disabled releases are
/// skipped. Among the rest, newest first: the first whose binary range holds the device's binary version is offered,
/// and it is mandatory when it or any release between it and the one the device runs is mandatory. Pure.
/// </summary>
public static class CodePushDecider
{
    public static CodePushAnswer Decide(CodePushChannelHistory? history, string? headBundle, CodePushCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var head = history?.IndexOfBundle(headBundle) ?? -1;
        if (history is null || head < 0)
            return new(false, null, false, "", false, true, CodePushReasons.NoReleases);

        var headNumber = history.Releases[head].Number;
        // A device on its binary has none of the releases: a mandatory one it skipped makes the offer mandatory. (The
        // archived server treated such a device as already on the newest release and ignored skipped mandatory ones.)
        var onBinary = check.Label is null && check.PackageHash is null;
        var foundCurrent = false;
        var runningNumber = CodePushRelease.TryParseLabel(check.Label, out var number) ? number : -1;
        CodePushRelease? latestEnabled = null;
        SemVersionRange? latestEnabledRange = null;
        CodePushRelease? offer = null;
        var mandatory = false;
        for (var i = history.Releases.Count - 1; i >= 0; i--)
        {
            var release = history.Releases[i];
            // The device's own release, by label when it sends one (the same content can be released twice), else by hash.
            foundCurrent = foundCurrent || (!onBinary
                && (check.Label is not null ? release.Number == runningNumber : release.PackageHash == check.PackageHash));
            if (release.Number > headNumber || release.IsDisabled || (release.RolledBack && i != head))
                continue;

            var range = history.RangeAt(i);
            if (latestEnabled is null)
            {
                latestEnabled = release;
                latestEnabledRange = range;
            }
            if (!check.IsCompanion && (range is null || !range.Contains(check.AppVersion)))
                continue;

            offer ??= release;
            if (foundCurrent)
                break;
            if (release.IsMandatory)
            {
                // Newer than what the device runs and for its binary: whatever comes after it must be taken too.
                mandatory = true;
                break;
            }
        }

        if (latestEnabled is null)
            return new(false, null, false, "", false, offer is null, CodePushReasons.AllDisabled);
        if (offer is null || offer.PackageHash == check.PackageHash)
        {
            // No update. Say which binary the newest release is for when the device's is older than it needs.
            var runBinary = offer is null;
            if (latestEnabledRange is not null && BinaryVersions.IsAbove(check.AppVersion, latestEnabledRange))
                return new(false, null, false, latestEnabled.TargetBinaryRange, false, runBinary, runBinary ? CodePushReasons.NoReleaseForBinary : CodePushReasons.UpToDate);
            if (latestEnabledRange is null || !latestEnabledRange.Contains(check.AppVersion))
                return new(false, null, false, latestEnabled.TargetBinaryRange, true, runBinary, CodePushReasons.NewerBinaryNeeded);
            return new(false, null, false, "", false, runBinary, runBinary ? CodePushReasons.NoReleaseForBinary : CodePushReasons.UpToDate);
        }
        return new(true, offer, mandatory || offer.IsMandatory, check.AppVersionText, false, false, CodePushReasons.Update);
    }
}
