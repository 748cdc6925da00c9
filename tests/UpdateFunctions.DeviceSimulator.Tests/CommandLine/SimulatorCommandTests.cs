using System.Text.Json;
using UpdateFunctions.DeviceSimulator.CommandLine;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.CommandLine;

public sealed class SimulatorCommandTests
{
    private static CommandLineSettings Parse(params string[] args)
    {
        var (settings, errors) = SimulatorCommand.Parse(args);
        Assert.Empty(errors);
        return settings!;
    }

    [Fact]
    public void Defaults_simulate_100_fresh_installs_of_the_demo_app_against_run_sh()
    {
        var settings = Parse();
        var options = settings.Options;

        Assert.Equal(new Uri("http://127.0.0.1:7071"), options.ServerUrl);
        Assert.Equal("com.demo.app", options.AppId);
        Assert.Equal((100, 5, "builtin"), (options.Devices, options.Rounds, options.VersionName));
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal([new Share("android", 1), new Share("ios", 1)], options.Platforms);
        Assert.Empty(options.Channels);
        Assert.False(options.Failures.IsActive);
        Assert.Equal(DownloadMode.None, options.Download);
        Assert.False(settings.Json);
        Assert.InRange(options.Seed, 1, 999_999);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var settings = Parse(
            "--url", "https://updates.example.com/api", "--app", "com.acme.app", "-n", "250", "--seed", "7",
            "--platforms", "ios=30%,android=70%", "--version-build", "1.0.0=3,1.1.0=1", "--version-name", "1.0.1",
            "--channel", "beta=10%,next=5%", "--custom-id", "ent-*=25%,tester-1=1%", "--plugin-version", "7.2.0",
            "--emulator", "--dev-build", "--rounds", "12", "--interval", "500ms", "--duration", "10m", "-c", "4",
            "--download", "get", "--timeout", "2s", "--fail-rate", "20%", "--fail-version", "1.2.0", "--fail-version", "1.2.1,1.2.2",
            "--fail-where", "platform=ios", "--fail-where", "custom-id-prefix=ent-", "--fail-mode", "download", "--fail-sticky", "--json");
        var options = settings.Options;

        Assert.Equal(new Uri("https://updates.example.com/api"), options.ServerUrl);
        Assert.Equal(("com.acme.app", 250, 7), (options.AppId, options.Devices, options.Seed));
        Assert.Equal([new Share("ios", 30), new Share("android", 70)], options.Platforms);
        Assert.Equal([new Share("1.0.0", 3), new Share("1.1.0", 1)], options.VersionBuilds);
        Assert.Equal("1.0.1", options.VersionName);
        Assert.Equal([new Share("beta", 0.1), new Share("next", 0.05)], options.Channels);
        Assert.Equal([new Share("ent-*", 0.25), new Share("tester-1", 0.01)], options.CustomIds);
        Assert.Equal(("7.2.0", true, false), (options.PluginVersion, options.IsEmulator, options.IsProd));
        Assert.Equal((12, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(10), 4), (options.Rounds, options.Interval, options.Duration, options.Concurrency));
        Assert.Equal(DownloadMode.Get, options.Download);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RequestTimeout);
        Assert.Equal(0.2, options.Failures.Rate, 9);
        Assert.Equal(["1.2.0", "1.2.1", "1.2.2"], options.Failures.Versions);
        Assert.Equal([DeviceField.Platform, DeviceField.CustomIdPrefix], options.Failures.Where.Select(w => w.Field));
        Assert.Equal((FailureMode.Download, true), (options.Failures.Mode, options.Failures.Sticky));
        Assert.True(settings.Json);
    }

    [Fact]
    public void A_duration_alone_runs_rounds_until_it_has_passed()
    {
        var options = Parse("--duration", "90s").Options;

        Assert.Null(options.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
    }

    [Theory]
    [InlineData("--devices 0", "--devices must be between 1 and 100000; got 0.")]
    [InlineData("--concurrency 5000", "--concurrency must be between 1 and 1024; got 5000.")]
    [InlineData("--url ftp://example.com", "--url 'ftp://example.com' is not an absolute http(s) URL")]
    [InlineData("--url not-a-url", "--url 'not-a-url' is not an absolute http(s) URL")]
    [InlineData("--app demo", "--app 'demo' is not an app id")]
    [InlineData("--platforms ios,windows", "--platforms: 'windows' is not a platform (ios, android, electron).")]
    [InlineData("--platforms ios=0", "--platforms: '0' is not a positive weight")]
    [InlineData("--platforms ios,ios", "--platforms: 'ios' is listed twice.")]
    [InlineData("--version-build 1.x", "--version-build: '1.x' is not a semantic version")]
    [InlineData("--version-name latest", "--version-name 'latest' is neither 'builtin' nor a semantic version")]
    [InlineData("--channel beta=80%,next=30%", "--channel: the shares add up to 110 %, more than 100%.")]
    [InlineData("--channel beta=lots", "--channel: 'lots' is not a share of the devices")]
    [InlineData("--custom-id enterprise-customer-account-number-*=10%", "makes ids longer than 36 characters")]
    [InlineData("--devices many", "--devices 'many' is not a whole number.")]
    [InlineData("--seed -4", "--seed must be between 0 and 2147483647; got -4.")]
    [InlineData("--interval soon", "--interval 'soon' is not a duration (e.g. 500ms, 5s, 2m, 1h).")]
    [InlineData("--duration 0", "--duration must be above 0.")]
    [InlineData("--timeout 0s", "--timeout must be above 0.")]
    [InlineData("--fail-rate 1.5", "--fail-rate '1.5' is not a probability (0 to 1, or 0% to 100%).")]
    [InlineData("--fail-rate 0.2 --fail-version next", "--fail-version 'next' is not a semantic version")]
    [InlineData("--fail-rate 0.2 --fail-where color=red", "unknown field 'color' in 'color=red'")]
    [InlineData("--fail-rate 0.2 --fail-where platform=windows", "'windows' is not a platform")]
    [InlineData("--fail-rate 0.2 --fail-mode crash", "crash")]
    [InlineData("--download always", "always")]
    [InlineData("--fail-version 1.2.0", "--fail-version only matters with --fail-rate above 0")]
    [InlineData("--fail-where platform=ios", "--fail-where only matters with --fail-rate above 0")]
    [InlineData("--devices", "--devices")]
    [InlineData("--frobnicate", "--frobnicate")]
    public async Task A_bad_value_is_a_usage_error_that_says_what_is_wrong(string args, string message)
    {
        var (settings, errors) = SimulatorCommand.Parse(args.Split(' '));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SimulatorCommand.RunAsync(args.Split(' '), output, error);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--help", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Help_lists_the_options()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SimulatorCommand.RunAsync(["--help"], output, error);

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var option in new[] { "--url", "--devices", "--seed", "--platforms", "--channel", "--custom-id", "--rounds", "--interval", "--duration", "--fail-rate", "--fail-version", "--fail-where", "--json" })
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_exits_6_with_a_clear_message()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        static HttpResponseMessage Refused() => throw new HttpRequestException("Connection refused (127.0.0.1:7071)");
        using var handler = new Support.StubDeviceApi(_ => Refused(), (_, _) => Refused());

        var code = await SimulatorCommand.RunAsync(["--rounds", "1", "--devices", "3"], output, error, handler);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith("error: Cannot reach the server at http://127.0.0.1:7071/", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("./run.sh", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_one_object_per_line()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var handler = new Support.StubDeviceApi(Support.StubDeviceApi.Channel("1.2.0"));

        var code = await SimulatorCommand.RunAsync(["--url", "http://stub.test", "--devices", "4", "--rounds", "2", "--interval", "0", "--seed", "3", "--json"], output, error, handler);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["start", "round", "round", "summary"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(3, lines[0].GetProperty("seed").GetInt32());
        Assert.Equal(4, lines[1].GetProperty("installed").GetInt32());
        Assert.Equal(4, lines[2].GetProperty("upToDate").GetInt32());
        var summary = lines[3];
        Assert.True(summary.GetProperty("completed").GetBoolean());
        Assert.Equal(4, summary.GetProperty("versions").GetProperty("1.2.0").GetInt32());
        Assert.Equal(4, summary.GetProperty("bundles").GetProperty("1.2.0").GetProperty("attempts").GetInt32());
        Assert.Equal(12, summary.GetProperty("stats").GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Text_output_has_a_line_per_round_and_a_summary()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var handler = new Support.StubDeviceApi(Support.StubDeviceApi.Channel("1.2.0"));

        var code = await SimulatorCommand.RunAsync(
            ["--url", "http://stub.test", "--devices", "10", "--rounds", "2", "--interval", "0", "--seed", "3", "--fail-rate", "1", "--fail-where", "platform=ios"],
            output, error, handler);

        var text = output.ToString();
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Simulating 10 devices of com.demo.app against http://stub.test/ (seed 3", text, StringComparison.Ordinal);
        Assert.Contains("failures: 100 % of installs on devices with platform=ios fail (update_fail)", text, StringComparison.Ordinal);
        Assert.Contains("round 1 ", text, StringComparison.Ordinal);
        Assert.Contains("offered 10  installed 5  failed 5", text, StringComparison.Ordinal);
        Assert.Contains("| builtin 5, 1.2.0 5", text, StringComparison.Ordinal);
        Assert.Contains("round 2 ", text, StringComparison.Ordinal);
        Assert.Contains("done: 2 round(s)", text, StringComparison.Ordinal);
        Assert.Contains("bundle 1.2.0: offered 15, attempts 15, installed 5, failed 10 (66.7 % of attempts)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_still_prints_its_summary_and_exits_130()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var handler = new Support.StubDeviceApi(Support.StubDeviceApi.Channel("1.2.0"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        var code = await SimulatorCommand.RunAsync(
            ["--url", "http://stub.test", "--devices", "3", "--rounds", "100", "--interval", "1s"], output, error, handler, cancellationToken: cancel.Token);

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Matches(@"\nstopped: \d+ round\(s\) in ", output.ToString());
        Assert.DoesNotContain("done:", output.ToString(), StringComparison.Ordinal);
    }
}
