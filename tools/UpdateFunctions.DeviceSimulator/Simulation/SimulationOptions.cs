namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>A value and its weight: a relative weight (platforms, native versions) or a share of the devices in [0, 1].</summary>
public sealed record Share(string Value, double Weight);

/// <summary>Whether and how a device fetches the bundle it is offered.</summary>
public enum DownloadMode
{
    /// <summary>Trust the offer (light: the server and its storage see only the device API).</summary>
    None,
    /// <summary><c>HEAD</c> the bundle URL; a non-2xx answer is a failed download.</summary>
    Head,
    /// <summary><c>GET</c> the bundle and compare its SHA-256 with the offer's checksum (unencrypted bundles).</summary>
    Get,
}

/// <summary>What a whole simulation does. Built by the command line; tests build it directly.</summary>
public sealed record SimulationOptions
{
    public const string DefaultAppId = "com.demo.app";
    public const string DefaultPluginVersion = "8.3.1";

    /// <summary>Half Android, half iOS.</summary>
    public static IReadOnlyList<Share> DefaultPlatforms { get; } = [new("android", 1), new("ios", 1)];

    public static IReadOnlyList<Share> DefaultVersionBuilds { get; } = [new("1.0.0", 1)];

    /// <summary>The server's base URL; the device API is under <c>api/</c> (a URL that already ends in <c>/api</c> works too).</summary>
    public required Uri ServerUrl { get; init; }

    public string AppId { get; init; } = DefaultAppId;

    public int Devices { get; init; } = 100;

    /// <summary>Seeds device ids, attributes and injected failures.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Relative weights of <c>android</c>, <c>ios</c>, <c>electron</c>.</summary>
    public IReadOnlyList<Share> Platforms { get; init; } = DefaultPlatforms;

    /// <summary>Relative weights of native versions (<c>version_build</c>).</summary>
    public IReadOnlyList<Share> VersionBuilds { get; init; } = DefaultVersionBuilds;

    /// <summary>The bundle every device starts on: <c>builtin</c> (a fresh install) or a version.</summary>
    public string VersionName { get; init; } = "builtin";

    /// <summary>Shares of devices sending a <c>defaultChannel</c>; the others send none (the app's default channel).</summary>
    public IReadOnlyList<Share> Channels { get; init; } = [];

    /// <summary>
    /// Shares of devices with a <c>custom_id</c>, as templates: <c>*</c> becomes the device's number (<c>ent-*</c> →
    /// <c>ent-17</c>); a template without <c>*</c> is sent as is. The others send an empty <c>custom_id</c>.
    /// </summary>
    public IReadOnlyList<Share> CustomIds { get; init; } = [];

    public string PluginVersion { get; init; } = DefaultPluginVersion;

    public bool IsEmulator { get; init; }

    public bool IsProd { get; init; } = true;

    /// <summary>Rounds to run; null with <see cref="Duration"/> to run until it has passed.</summary>
    public int? Rounds { get; init; } = 5;

    /// <summary>Stop starting rounds once this much time has passed (with <see cref="Rounds"/>, whichever comes first).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Pause between the end of a round and the start of the next.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Devices talking to the server at the same time.</summary>
    public int Concurrency { get; init; } = 8;

    public DownloadMode Download { get; init; } = DownloadMode.None;

    public FailurePlan Failures { get; init; } = FailurePlan.None;

    /// <summary>Longest wait for a <c>Retry-After</c> before the last stats are sent at the end of a run.</summary>
    public TimeSpan MaxFinalFlushWait { get; init; } = TimeSpan.FromSeconds(65);
}
