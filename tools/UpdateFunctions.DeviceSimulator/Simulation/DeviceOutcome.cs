namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>How a device's update check of one round ended.</summary>
public enum CheckResult
{
    /// <summary>Held back by a <c>Retry-After</c>: no call this round.</summary>
    Deferred,
    /// <summary>Offered a bundle and now runs it.</summary>
    Installed,
    /// <summary>Offered a bundle and failed to install it; still on its previous bundle.</summary>
    Failed,
    UpToDate,
    /// <summary>A <c>blocked</c> or <c>failed</c> refusal (no channel, fences, …).</summary>
    Refused,
    RateLimited,
    /// <summary>No usable answer: unreachable, timeout, 5xx, unreadable body.</summary>
    Error,
}

/// <summary>One device's round: its check, the bundle it was offered, and its stats traffic.</summary>
/// <param name="Reason">The refusal code, the failure cause, or the error.</param>
/// <param name="Reached">Whether the server answered anything at all.</param>
/// <param name="Unreachable">Why the server could not be reached, when a call failed before any answer.</param>
public sealed record DeviceOutcome(
    CheckResult Check,
    string? Offered = null,
    string? Reason = null,
    BundleTally? Bundle = null,
    bool Reached = true,
    string? Unreachable = null)
{
    public static DeviceOutcome Deferred { get; } = new(CheckResult.Deferred, Reached: false);

    public StatsTally Stats { get; init; } = StatsTally.Zero;

    public int RateLimitedCalls { get; init; }

    /// <summary>
    /// The bundle the device ran when its update check failed (429, 5xx, unreachable, unusable answer): the plugin then
    /// reports <c>download_fail</c> naming that bundle, which the metrics count as an attempt and a failure of it.
    /// </summary>
    public string? ReportedFailureOf { get; init; }

    /// <summary>Errors of this device's calls (the check's and the stats'), by reason.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
