using System.Text.Json.Serialization;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>What happened to the installs of one bundle: the numbers rollout gates read, as the devices reported them.</summary>
/// <param name="Offered">Update answers offering it.</param>
/// <param name="Attempts">Install attempts that ended in a terminal report (<c>set</c>, <c>set_fail</c> or <c>download_fail</c>), as the metrics count attempts.</param>
/// <param name="Installed">Attempts after which the device runs it.</param>
/// <param name="Failed">Attempts reported as <c>download_fail</c>, <c>set_fail</c> or <c>update_fail</c>.</param>
/// <param name="CheckFailed">Failed update checks of devices running it, reported as its <c>download_fail</c>: the metrics' check failures, not attempts.</param>
public sealed record BundleTally(int Offered, int Attempts, int Installed, int Failed, int CheckFailed = 0)
{
    public static BundleTally Zero { get; } = new(0, 0, 0, 0);

    public BundleTally Add(BundleTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Offered + other.Offered, Attempts + other.Attempts, Installed + other.Installed, Failed + other.Failed, CheckFailed + other.CheckFailed);
    }
}

/// <summary>Stats traffic: events sent and accepted, refused one by one, dropped with their batch, or still queued.</summary>
public sealed record StatsTally(int Accepted, int Rejected, int Dropped)
{
    public static StatsTally Zero { get; } = new(0, 0, 0);

    public StatsTally Add(StatsTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Accepted + other.Accepted, Rejected + other.Rejected, Dropped + other.Dropped);
    }
}

/// <summary>One round: every device checked for an update once (unless a <c>Retry-After</c> held it back).</summary>
/// <param name="Checks">Update checks sent.</param>
/// <param name="Offered">Answers offering a bundle (rollbacks and <c>builtin</c> included).</param>
/// <param name="UpToDate">Answers <c>kind: up_to_date</c>.</param>
/// <param name="Refused">Other refusals (<c>blocked</c> or <c>failed</c> kinds), counted by error code in <see cref="Refusals"/>.</param>
/// <param name="RateLimited">429 answers (update checks and stats).</param>
/// <param name="Deferred">Devices that skipped their check, still inside a <c>Retry-After</c>.</param>
/// <param name="Errors">Unreachable server, timeouts, 5xx and answers the plugin could not use, by reason in <see cref="ErrorReasons"/>.</param>
/// <param name="Versions">Devices per bundle after the round.</param>
public sealed record RoundSummary(
    int Round,
    DateTimeOffset StartedAt,
    double Seconds,
    int Checks,
    int Offered,
    int Installed,
    int Failed,
    int UpToDate,
    int Refused,
    int RateLimited,
    int Deferred,
    int Errors,
    IReadOnlyDictionary<string, int> Versions,
    IReadOnlyDictionary<string, BundleTally> Bundles,
    IReadOnlyDictionary<string, int> Refusals,
    IReadOnlyDictionary<string, int> ErrorReasons,
    StatsTally Stats)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "round";
}

/// <summary>A whole run.</summary>
/// <param name="Completed">False when the run was cancelled or aborted.</param>
/// <param name="PendingStats">Events still queued on devices at the end (the server kept answering 429/5xx).</param>
public sealed record SimulationSummary(
    string Url,
    string AppId,
    int Devices,
    int Seed,
    int Rounds,
    double Seconds,
    bool Completed,
    int Checks,
    int Offered,
    int Installed,
    int Failed,
    int UpToDate,
    int Refused,
    int RateLimited,
    int Errors,
    IReadOnlyDictionary<string, int> Versions,
    IReadOnlyDictionary<string, BundleTally> Bundles,
    IReadOnlyDictionary<string, int> Refusals,
    IReadOnlyDictionary<string, int> ErrorReasons,
    StatsTally Stats,
    int PendingStats)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "summary";
}

/// <summary>What a run is about to do, printed first.</summary>
public sealed record SimulationStart(
    string Url,
    string AppId,
    int Devices,
    int Seed,
    int? Rounds,
    double? DurationSeconds,
    double IntervalSeconds,
    int Concurrency,
    string Download,
    IReadOnlyDictionary<string, int> Platforms,
    IReadOnlyDictionary<string, int> VersionBuilds,
    IReadOnlyDictionary<string, int> Channels,
    IReadOnlyDictionary<string, int> CustomIds,
    string Failures)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "start";
}
