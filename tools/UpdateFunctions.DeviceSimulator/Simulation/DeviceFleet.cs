namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>
/// Runs synthetic Capgo devices against a server. Each round every device posts an update check with the info
/// object the plugin sends; when offered a bundle it "downloads" it (or really fetches it, <see cref="DownloadMode"/>),
/// installs it or fails as <see cref="FailurePlan"/> says, and posts the stats events the plugin would, as one
/// v8-style array. A device that installed a bundle reports it as its <c>version_name</c> from then on; one that
/// failed stays on its bundle and is offered the same one again next round. 429 and 503 answers block a device
/// until their <c>Retry-After</c>, as the plugin does, and its stats stay queued until then.
/// </summary>
public sealed partial class DeviceFleet
{
    private const string Builtin = "builtin";
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    private readonly HttpClient _server;
    private readonly HttpClient _downloads;
    private readonly SimulationOptions _options;
    private readonly TimeProvider _clock;
    private readonly Uri _updatesUri;
    private readonly Uri _statsUri;

    /// <param name="server">Talks to the server (the device API).</param>
    /// <param name="downloads">Fetches bundle URLs (a CDN or the storage emulator, not the server) when <see cref="SimulationOptions.Download"/> asks.</param>
    public DeviceFleet(HttpClient server, HttpClient downloads, SimulationOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _downloads = downloads ?? throw new ArgumentNullException(nameof(downloads));
        _options = options;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _updatesUri = DeviceApi.Updates(options.ServerUrl);
        _statsUri = DeviceApi.Stats(options.ServerUrl);
        Devices = DevicePopulation.Create(options);
    }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>What the run is about to do.</summary>
    public SimulationStart Describe() => new(
        Url: _options.ServerUrl.ToString(),
        AppId: _options.AppId,
        Devices: Devices.Count,
        Seed: _options.Seed,
        Rounds: _options.Rounds,
        DurationSeconds: _options.Duration?.TotalSeconds,
        IntervalSeconds: _options.Interval.TotalSeconds,
        Concurrency: _options.Concurrency,
        Download: _options.Download.ToString().ToLowerInvariant(),
        Platforms: VersionOrder.Count(Devices.Select(d => d.Profile.Platform)),
        VersionBuilds: VersionOrder.Count(Devices.Select(d => d.Profile.VersionBuild)),
        Channels: VersionOrder.Count(Devices.Select(d => d.Profile.Channel ?? "(default)")),
        CustomIds: VersionOrder.Count(DevicePopulation.CustomIdTemplates(_options).Select(t => t ?? "(none)")),
        Failures: _options.Failures.ToString());

    /// <summary>
    /// Runs every round, then sends the stats still queued. Returns the summary, also when cancelled (then with
    /// <see cref="SimulationSummary.Completed"/> false).
    /// </summary>
    /// <exception cref="ServerUnreachableException">No device of a round got any answer.</exception>
    /// <exception cref="AppNotFoundException">The server does not know the app.</exception>
    public async Task<SimulationSummary> RunAsync(Func<RoundSummary, CancellationToken, Task>? onRound, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var rounds = new List<RoundSummary>();
        var flushed = new List<DeviceOutcome>();
        var completed = false;
        try
        {
            for (var round = 1; _options.Rounds is not { } max || round <= max; round++)
            {
                if (round > 1 && _options.Duration is { } duration && _clock.GetElapsedTime(started) >= duration)
                    break;
                var summary = await RunRoundAsync(round, cancellationToken);
                rounds.Add(summary);
                if (onRound is not null)
                    await onRound(summary, cancellationToken);
                var last = _options.Rounds is { } count && round >= count;
                if (!last && _options.Interval > TimeSpan.Zero)
                    await Task.Delay(_options.Interval, _clock, cancellationToken);
            }
            flushed.AddRange(await FlushStatsAsync(cancellationToken));
            completed = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled (Ctrl-C): report what ran.
        }
        return Summarize(rounds, flushed, completed, _clock.GetElapsedTime(started));
    }

    /// <summary>One round: every device once, at most <see cref="SimulationOptions.Concurrency"/> at a time.</summary>
    public async Task<RoundSummary> RunRoundAsync(int round, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetUtcNow();
        var started = _clock.GetTimestamp();
        var outcomes = new DeviceOutcome[Devices.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, Devices.Count), parallel, async (index, token) =>
            outcomes[index] = await RunDeviceAsync(Devices[index], token));

        var called = outcomes.Where(o => o.Check != CheckResult.Deferred).ToList();
        if (called.Count > 0 && called.All(o => !o.Reached) && called.FirstOrDefault(o => o.Unreachable is not null) is { } unreachable)
        {
            throw new ServerUnreachableException(
                $"Cannot reach the server at {_options.ServerUrl} ({unreachable.Unreachable}). Is it running? ./run.sh starts LocalHost on http://127.0.0.1:7071.");
        }

        return new RoundSummary(
            Round: round,
            StartedAt: startedAt,
            Seconds: Math.Round(_clock.GetElapsedTime(started).TotalSeconds, 3),
            Checks: called.Count,
            Offered: outcomes.Count(o => o.Offered is not null),
            Installed: outcomes.Count(o => o.Check == CheckResult.Installed),
            Failed: outcomes.Count(o => o.Check == CheckResult.Failed),
            UpToDate: outcomes.Count(o => o.Check == CheckResult.UpToDate),
            Refused: outcomes.Count(o => o.Check == CheckResult.Refused),
            RateLimited: outcomes.Sum(o => o.RateLimitedCalls),
            Deferred: outcomes.Length - called.Count,
            Errors: outcomes.Sum(o => o.Errors.Count),
            Versions: VersionOrder.Count(Devices.Select(d => d.VersionName)),
            Bundles: TallyBundles(outcomes),
            Refusals: CountReasons(outcomes.Where(o => o.Check == CheckResult.Refused).Select(o => o.Reason ?? "?")),
            ErrorReasons: CountReasons(outcomes.SelectMany(o => o.Errors)),
            Stats: outcomes.Aggregate(StatsTally.Zero, (sum, o) => sum.Add(o.Stats)));
    }

    private async Task<DeviceOutcome> RunDeviceAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var outcome = _clock.GetUtcNow() < device.BlockedUntil
            ? DeviceOutcome.Deferred
            : await CheckAsync(device, cancellationToken);
        if (device.PendingStats.Count > 0 && _clock.GetUtcNow() >= device.BlockedUntil)
            outcome = Merge(outcome, await SendStatsAsync(device, cancellationToken));
        return outcome;
    }
}
