using UpdateFunctions.DeviceSimulator.Wire;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>What does not change about a simulated install: its id and the info its app reports.</summary>
/// <param name="Number">1-based, as used in custom id templates.</param>
/// <param name="Channel">The <c>defaultChannel</c> it sends, if any.</param>
public sealed record DeviceProfile(
    int Number,
    string DeviceId,
    string Platform,
    string VersionBuild,
    string VersionCode,
    string VersionOs,
    string InstallSource,
    string? CustomId,
    string? Channel);

/// <summary>
/// One simulated install: its profile and its state as the plugin keeps it (the current bundle, the stats queue, a
/// <c>Retry-After</c> block). Only one task touches a device at a time: a round runs each device once.
/// </summary>
public sealed class SimulatedDevice(DeviceProfile profile, string versionName)
{
    /// <summary>The plugin keeps at most this many stats events queued and drops the oldest beyond.</summary>
    public const int MaxPendingStats = 200;

    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public DeviceProfile Profile { get; } = profile;

    /// <summary>The bundle it runs: <c>builtin</c> or a version.</summary>
    public string VersionName { get; set; } = versionName;

    /// <summary>Until then the device makes no call (a 429 or 503 said <c>Retry-After</c>).</summary>
    public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Stats events not yet accepted by the server, oldest first.</summary>
    public List<PluginCall> PendingStats { get; } = [];

    /// <summary>Counts an install attempt of <paramref name="version"/> and returns its number (from 1).</summary>
    public int NextAttempt(string version)
    {
        var attempt = _attempts.GetValueOrDefault(version) + 1;
        _attempts[version] = attempt;
        return attempt;
    }

    /// <summary>The device info object as the plugin sends it with every call.</summary>
    public PluginCall Info(string appId, string pluginVersion, bool isEmulator, bool isProd) => new(
        Platform: Profile.Platform,
        DeviceId: Profile.DeviceId,
        AppId: appId,
        CustomId: Profile.CustomId ?? "",
        VersionBuild: Profile.VersionBuild,
        VersionCode: Profile.VersionCode,
        VersionOs: Profile.VersionOs,
        VersionName: VersionName,
        PluginVersion: pluginVersion,
        IsEmulator: isEmulator,
        IsProd: isProd,
        InstallSource: Profile.InstallSource,
        DefaultChannel: Profile.Channel ?? "");

    public void Queue(PluginCall statsEvent)
    {
        if (PendingStats.Count >= MaxPendingStats)
            PendingStats.RemoveAt(0);
        PendingStats.Add(statsEvent);
    }
}
