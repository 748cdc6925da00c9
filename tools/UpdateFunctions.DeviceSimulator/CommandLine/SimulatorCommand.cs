using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;
using UpdateFunctions.DeviceSimulator.Output;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.CommandLine;

/// <summary>A command line, read and checked: what to simulate and how to report it.</summary>
public sealed record CommandLineSettings(SimulationOptions Options, bool Json, TimeSpan RequestTimeout);

/// <summary>Exit codes, the same as <c>updatectl</c>'s where they overlap.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int NotFound = 4;
    public const int Unavailable = 6;
    public const int Cancelled = 130;
}

/// <summary>The <c>simulate-devices</c> command line (System.CommandLine), and running it.</summary>
public static class SimulatorCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7071";
    private static readonly Uri DefaultUri = new(DefaultUrl);
    private const int MaxDevices = 100_000;

    /// <summary>Reads a command line without running anything: the settings, or the errors (as printed).</summary>
    public static (CommandLineSettings? Settings, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
        var parse = options.Root.Parse(args);
        if (parse.Errors.Count > 0)
            return (null, parse.Errors.Select(e => e.Message).ToList());
        var errors = options.CheckTogether(parse);
        return errors.Count > 0 ? (null, errors) : (options.Bind(parse), []);
    }

    /// <summary>
    /// Runs a command line and returns its exit code (<see cref="ExitCodes"/>). Tests pass a handler (an in-process
    /// server's) and a clock; then server calls and bundle downloads both go through that handler.
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error,
        HttpMessageHandler? handler = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new SimulatorOptions();
        var parse = options.Root.Parse(args);
        if (parse.Errors.Count > 0)
            return await UsageAsync(error, parse.Errors.Select(e => e.Message));

        // The root's action runs unless --help or --version asked for theirs.
        options.Root.SetAction(async (result, token) =>
        {
            var errors = options.CheckTogether(result);
            return errors.Count > 0
                ? await UsageAsync(error, errors)
                : await SimulateAsync(options.Bind(result), output, error, handler, clock ?? TimeProvider.System, token);
        });
        // Ctrl-C and SIGTERM cancel the run, which then prints its summary (and the process waits for that).
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(5) };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static async Task<int> UsageAsync(TextWriter error, IEnumerable<string> messages)
    {
        foreach (var message in messages)
            await error.WriteLineAsync($"error: {message}");
        await error.WriteLineAsync("Run 'simulate-devices --help' for usage.");
        return ExitCodes.Usage;
    }

    private static async Task<int> SimulateAsync(
        CommandLineSettings settings, TextWriter output, TextWriter error, HttpMessageHandler? handler, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var server = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        using var downloads = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        foreach (var client in new[] { server, downloads })
        {
            client.Timeout = settings.RequestTimeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd($"UpdateFunctions-DeviceSimulator/1.0 (plugin {settings.Options.PluginVersion})");
        }

        var simulator = new DeviceFleet(server, downloads, settings.Options, clock);
        IReportWriter writer = settings.Json ? new JsonReportWriter(output) : new TextReportWriter(output);
        await writer.StartAsync(simulator.Describe(), cancellationToken);
        try
        {
            var summary = await simulator.RunAsync(writer.RoundAsync, cancellationToken);
            // The summary is written also after Ctrl-C; the token is cancelled by then.
            await writer.SummaryAsync(summary, CancellationToken.None);
            return summary.Completed ? ExitCodes.Ok : ExitCodes.Cancelled;
        }
        catch (ServerUnreachableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        catch (AppNotFoundException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message} Create it (updatectl app create) or pass --app.");
            return ExitCodes.NotFound;
        }
    }

    /// <summary>The options of the command, and turning a parse into <see cref="CommandLineSettings"/>.</summary>
    private sealed class SimulatorOptions
    {
        public SimulatorOptions()
        {
            App.Validators.Add(result =>
            {
                if (!DeviceInfoReader.IsValidAppId(result.GetValueOrDefault<string>()))
                    result.AddError($"--app '{result.GetValueOrDefault<string>()}' is not an app id (reverse domain, e.g. com.demo.app).");
            });
            VersionName.Validators.Add(result =>
            {
                var value = result.GetValueOrDefault<string>();
                if (value != BundleVersion.Builtin && !BundleVersion.IsValid(value))
                    result.AddError($"--version-name '{value}' is neither 'builtin' nor a semantic version (e.g. 1.0.1).");
            });
            PluginVersion.Validators.Add(result =>
            {
                if (!BundleVersion.IsValid(result.GetValueOrDefault<string>()))
                    result.AddError($"--plugin-version '{result.GetValueOrDefault<string>()}' is not a semantic version (e.g. {SimulationOptions.DefaultPluginVersion}).");
            });
            FailVersion.Validators.Add(result =>
            {
                foreach (var version in SplitList(result.GetValueOrDefault<string[]>()))
                {
                    if (version != BundleVersion.Builtin && !BundleVersion.IsValid(version))
                        result.AddError($"--fail-version '{version}' is not a semantic version (e.g. 1.2.0).");
                }
            });
            Download.AcceptOnlyFromAmong("none", "head", "get");
            FailMode.AcceptOnlyFromAmong("update", "download", "set");

            Root = new RootCommand(
                "Simulates Capgo updater devices against an UpdateFunctions server: each round every device checks for an update " +
                "(POST /api/updates), installs what it is offered or fails as told, and reports it (POST /api/stats), so a " +
                "channel change or a staged rollout can be watched advancing or halting.")
            {
                Url, App, Devices, Seed, Platforms, VersionBuild, VersionName, Channel, CustomId, PluginVersion, Emulator, DevBuild,
                Rounds, Interval, Duration, Concurrency, Download, Timeout,
                FailRate, FailVersion, FailWhere, FailMode, FailSticky, Json,
            };
        }

        public RootCommand Root { get; }

        public Option<Uri> Url { get; } = new("--url")
        {
            Description = "Server base URL (the device API is <url>/api/…)",
            DefaultValueFactory = _ => DefaultUri,
            CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url
                : Fail<Uri>(result, $"--url '{result.Tokens[0].Value}' is not an absolute http(s) URL (e.g. {DefaultUrl})."),
        };

        public Option<string> App { get; } = new("--app") { Description = "App id", DefaultValueFactory = _ => SimulationOptions.DefaultAppId };

        public Option<int?> Devices { get; } = IntOption("--devices", "Number of devices (default 100)", 1, MaxDevices, "-n");

        public Option<int?> Seed { get; } = IntOption("--seed", "Seeds device ids, attributes and failures; the same seed gives the same devices (default: random, printed)", 0, int.MaxValue);

        public Option<IReadOnlyList<Share>> Platforms { get; } = WeightsOption(
            "--platforms", "Platform mix, relative weights: 'android,ios' (even, the default), 'ios=30%,android=70%', 'android=3,ios=1'",
            value => value is "ios" or "android" or "electron" ? null : $"--platforms: '{value}' is not a platform (ios, android, electron).");

        public Option<IReadOnlyList<Share>> VersionBuild { get; } = WeightsOption(
            "--version-build", "Native app version(s) (version_build), relative weights: '1.0.0' (the default) or '1.0.0=70%,1.1.0=30%'",
            value => BundleVersion.NormalizeNative(value) is null ? $"--version-build: '{value}' is not a semantic version (e.g. 1.0.0)." : null);

        public Option<string> VersionName { get; } = new("--version-name") { Description = "Bundle every device starts on: 'builtin' (fresh install) or a version", DefaultValueFactory = _ => BundleVersion.Builtin };

        public Option<IReadOnlyList<Share>> Channel { get; } = SharesOption(
            "--channel", "defaultChannel the devices send, as shares: 'beta' (all) or 'beta=10%,next=5%' (the rest send none: the app's default channel)",
            value => DeviceInfoReader.IsValidChannelName(value) ? null : $"--channel: '{value}' is not a channel name.");

        public Option<IReadOnlyList<Share>> CustomId { get; } = SharesOption(
            "--custom-id", "custom_id templates as shares, '*' = device number: 'ent-*=25%' (enterprise segment), 'tester-1=1%' (the rest send none)",
            value => DevicePopulation.CustomId(value, MaxDevices).Length > DeviceInfoReader.MaxCustomIdLength
                ? $"--custom-id: '{value}' makes ids longer than {DeviceInfoReader.MaxCustomIdLength} characters."
                : null);

        public Option<string> PluginVersion { get; } = new("--plugin-version") { Description = "plugin_version the devices send", DefaultValueFactory = _ => SimulationOptions.DefaultPluginVersion };

        public Option<bool> Emulator { get; } = new("--emulator") { Description = "Devices are emulators (is_emulator: true)" };

        public Option<bool> DevBuild { get; } = new("--dev-build") { Description = "Devices run a debug build (is_prod: false)" };

        public Option<int?> Rounds { get; } = IntOption("--rounds", "Rounds to run (default 5, or unlimited with --duration)", 1, 1_000_000, "-r");

        public Option<TimeSpan?> Interval { get; } = DurationOption("--interval", "Pause between rounds: 500ms, 5s (the default), 2m, 0", allowZero: true);

        public Option<TimeSpan?> Duration { get; } = DurationOption("--duration", "Stop starting rounds after this long: 10m, 1h (with --rounds, whichever comes first)", allowZero: false);

        public Option<int?> Concurrency { get; } = IntOption("--concurrency", "Devices calling at the same time (default 8)", 1, 1024, "-c");

        public Option<string> Download { get; } = new("--download") { Description = "Fetch offered bundles: none, head, or get (and check the SHA-256)", DefaultValueFactory = _ => "none" };

        public Option<TimeSpan?> Timeout { get; } = DurationOption("--timeout", "Timeout of each HTTP call (default 30s)", allowZero: false);

        public Option<double> FailRate { get; } = new("--fail-rate")
        {
            Description = "Probability that an install attempt fails: 0.2 or 20% (per attempt; see --fail-sticky)",
            CustomParser = result => ValueParsers.TryFraction(result.Tokens[0].Value, out var rate)
                ? rate
                : Fail<double>(result, $"--fail-rate '{result.Tokens[0].Value}' is not a probability (0 to 1, or 0% to 100%)."),
        };

        public Option<string[]> FailVersion { get; } = new("--fail-version") { Description = "Only installs of this bundle fail (repeat or comma-separate); default any bundle" };

        public Option<DeviceFilter[]> FailWhere { get; } = new("--fail-where")
        {
            Description = "Only devices matching fail (repeat: all must match): platform=ios, channel=beta|none, custom-id-prefix=ent-, version-build=1.1.0",
            CustomParser = result =>
            {
                var filters = new List<DeviceFilter>();
                foreach (var token in result.Tokens)
                {
                    if (ValueParsers.TryFilter(token.Value, out var problem) is { } filter)
                        filters.Add(filter);
                    else
                        result.AddError($"--fail-where: {problem}");
                }
                return [.. filters];
            },
        };

        public Option<string> FailMode { get; } = new("--fail-mode")
        {
            Description = "How a failed install shows: update (set then update_fail, rolled back), download (download_fail), set (set_fail)",
            DefaultValueFactory = _ => "update",
        };

        public Option<bool> FailSticky { get; } = new("--fail-sticky") { Description = "The same devices fail every attempt (default: each attempt is drawn anew)" };

        public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per line (start, each round, summary) instead of text" };

        public CommandLineSettings Bind(ParseResult parse)
        {
            var rounds = parse.GetValue(Rounds);
            var duration = parse.GetValue(Duration);
            var failRate = parse.GetValue(FailRate);
            var options = new SimulationOptions
            {
                ServerUrl = parse.GetValue(Url)!,
                AppId = parse.GetValue(App)!,
                Devices = parse.GetValue(Devices) ?? 100,
                Seed = parse.GetValue(Seed) ?? RandomNumberGenerator.GetInt32(1, 1_000_000),
                Platforms = parse.GetValue(Platforms) ?? SimulationOptions.DefaultPlatforms,
                VersionBuilds = parse.GetValue(VersionBuild) ?? SimulationOptions.DefaultVersionBuilds,
                VersionName = parse.GetValue(VersionName)!,
                Channels = parse.GetValue(Channel) ?? [],
                CustomIds = parse.GetValue(CustomId) ?? [],
                PluginVersion = parse.GetValue(PluginVersion)!,
                IsEmulator = parse.GetValue(Emulator),
                IsProd = !parse.GetValue(DevBuild),
                Rounds = rounds ?? (duration is null ? 5 : null),
                Duration = duration,
                Interval = parse.GetValue(Interval) ?? TimeSpan.FromSeconds(5),
                Concurrency = parse.GetValue(Concurrency) ?? 8,
                Download = Enum.Parse<DownloadMode>(parse.GetValue(Download)!, ignoreCase: true),
                Failures = new FailurePlan(
                    Rate: failRate,
                    Mode: Enum.Parse<FailureMode>(parse.GetValue(FailMode)!, ignoreCase: true),
                    Versions: [.. SplitList(parse.GetValue(FailVersion))],
                    Where: parse.GetValue(FailWhere) ?? [],
                    Sticky: parse.GetValue(FailSticky)),
            };
            return new CommandLineSettings(options, parse.GetValue(Json), parse.GetValue(Timeout) ?? TimeSpan.FromSeconds(30));
        }

        /// <summary>Rules between options, checked once each option is valid on its own.</summary>
        public List<string> CheckTogether(ParseResult result)
        {
            var errors = new List<string>();
            var failing = result.GetValue(FailRate) > 0;
            foreach (var (option, given) in new (Option, bool)[]
            {
                (FailVersion, SplitList(result.GetValue(FailVersion)).Any()),
                (FailWhere, result.GetValue(FailWhere) is { Length: > 0 }),
                (FailSticky, result.GetValue(FailSticky)),
            })
            {
                if (given && !failing)
                    errors.Add($"{option.Name} only matters with --fail-rate above 0 (e.g. --fail-rate 0.2).");
            }
            return errors;
        }

        private static Option<int?> IntOption(string name, string description, int min, int max, params string[] aliases) => new(name, aliases)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    return Fail<int?>(result, $"{name} '{text}' is not a whole number.");
                if (value < min || value > max)
                    return Fail<int?>(result, $"{name} must be between {min} and {max}; got {value}.");
                return value;
            },
        };

        private static Option<IReadOnlyList<Share>> WeightsOption(string name, string description, Func<string, string?> check) => new(name)
        {
            Description = description,
            CustomParser = result => ValueParsers.TryWeights(result.Tokens[0].Value, check, out var problem) is { } shares
                ? shares
                : Fail<IReadOnlyList<Share>>(result, problem!.StartsWith("--", StringComparison.Ordinal) ? problem : $"{name}: {problem}"),
        };

        private static Option<IReadOnlyList<Share>> SharesOption(string name, string description, Func<string, string?> check) => new(name)
        {
            Description = description,
            CustomParser = result => ValueParsers.TryShares(result.Tokens[0].Value, check, out var problem) is { } shares
                ? shares
                : Fail<IReadOnlyList<Share>>(result, problem!.StartsWith("--", StringComparison.Ordinal) ? problem : $"{name}: {problem}"),
        };

        private static Option<TimeSpan?> DurationOption(string name, string description, bool allowZero) => new(name)
        {
            Description = description,
            CustomParser = result => ParseDuration(result, name, allowZero),
        };

        private static TimeSpan? ParseDuration(ArgumentResult result, string name, bool allowZero)
        {
            var text = result.Tokens[0].Value;
            if (!ValueParsers.TryDuration(text, out var value))
                return Fail<TimeSpan?>(result, $"{name} '{text}' is not a duration (e.g. 500ms, 5s, 2m, 1h).");
            if (value == TimeSpan.Zero && !allowZero)
                return Fail<TimeSpan?>(result, $"{name} must be above 0.");
            return value;
        }

        private static T Fail<T>(ArgumentResult result, string message)
        {
            result.AddError(message);
            return default!;
        }
    }

    private static IEnumerable<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
