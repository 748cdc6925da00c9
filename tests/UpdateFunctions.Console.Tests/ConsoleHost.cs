using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UpdateFunctions.DeviceSimulator.Simulation;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Console.Tests;

/// <summary>
/// LocalHost in process on a real Kestrel port (a browser needs a socket: <see cref="TestLocalHost.StartOnKestrelAsync"/>)
/// with the rollout timer ticking every 2 s; simulated devices reporting to it; and Debian's Chromium driven by Playwright (no browser download: the executable is the one <c>which chromium</c>
/// finds, or <c>PLAYWRIGHT_CHROMIUM_EXECUTABLE</c>).
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string AppId = SimulationOptions.DefaultAppId;

    private TestLocalHost? _host;
    private IPlaywright? _playwright;
    private Func<Task>? _stopDevices;

    /// <summary>The bootstrap admin key, as <c>./run.sh</c> prints one.</summary>
    public string AdminKey { get; } = "uf_console_tests_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Uri BaseAddress { get; private set; } = null!;

    public Uri ConsoleUrl => new(BaseAddress, "/console/");

    /// <summary>The management API with the admin key.</summary>
    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    /// <summary>Where screenshots go: <c>UPDATEFUNCTIONS_SCREENSHOTS</c>, else <c>screenshots/</c> in the test output.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("UPDATEFUNCTIONS_SCREENSHOTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartOnKestrelAsync(
            ("Management:BootstrapKey", AdminKey),
            ("ROLLOUT_ADVANCE_SCHEDULE", "*/2 * * * * *"));
        BaseAddress = _host.Client.BaseAddress!;

        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Simulated devices of the demo app on production, checking and reporting every second until stopped.</summary>
    public void StartDevices(int devices = 120, int seed = 16)
    {
        if (_stopDevices is not null)
            return;
        var stop = new CancellationTokenSource();
        var server = new HttpClient { BaseAddress = BaseAddress };
        var downloads = new HttpClient();
        var fleet = new DeviceFleet(server, downloads, new SimulationOptions
        {
            ServerUrl = BaseAddress,
            Devices = devices,
            Seed = seed,
            Rounds = null,
            Duration = TimeSpan.FromMinutes(10),
            Interval = TimeSpan.FromSeconds(1),
        }, TimeProvider.System);
        var token = stop.Token;
        var run = Task.Run(async () =>
        {
            try
            {
                await fleet.RunAsync(null, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
        });
        _stopDevices = async () =>
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
            server.Dispose();
            downloads.Dispose();
        };
    }

    /// <summary>Stops the devices and waits until every event they sent is in the metrics table.</summary>
    public async Task StopDevicesAsync()
    {
        if (_stopDevices is not { } stop)
            return;
        _stopDevices = null;
        await stop();
        await Services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);
    }

    /// <summary>A page at the given width that records every script error, CSP violation and 5xx it meets.</summary>
    public async Task<WatchedPage> OpenAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        return await WatchedPage.CreateAsync(context);
    }

    public async Task DisposeAsync()
    {
        await StopDevicesAsync();
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
    }

    private static string ChromiumPath()
    {
        if (Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") is { Length: > 0 } configured)
            return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new InvalidOperationException(
            "No chromium on PATH: install Debian's (apt-get install -y chromium; .ci/run does) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.");
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleGroup : ICollectionFixture<ConsoleHost>
{
    public const string Name = "Release console in Chromium";
}
