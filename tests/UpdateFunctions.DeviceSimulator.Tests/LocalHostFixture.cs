using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.DeviceSimulator.Simulation;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Testing;

namespace UpdateFunctions.DeviceSimulator.Tests;

/// <summary>
/// LocalHost in process on real Azurite storage under unique names, seeded with <c>samples/demo-seed.json</c> as
/// <c>./run.sh</c> does, for the simulator to run against. Tests of one collection run one after the other, so a test
/// reads its own effect on the metrics as the difference before and after its run.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string AppId = SimulationOptions.DefaultAppId;

    private (string Key, string Value)[] _settings = [];
    private Action<IServiceCollection>? _configureServices;
    private TestLocalHost? _host;

    /// <summary>A host of a test's own, with extra settings (the shared one is the collection's).</summary>
    public static Task<LocalHostFixture> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <summary>A host of a test's own with extra settings and services (say, a middleware in front of the functions).</summary>
    public static async Task<LocalHostFixture> StartAsync(Action<IServiceCollection>? configureServices, params (string Key, string Value)[] settings)
    {
        var host = new LocalHostFixture { _settings = settings, _configureServices = configureServices };
        await host.InitializeAsync();
        return host;
    }

    /// <summary>The device API, in process.</summary>
    public HttpClient Client => _host!.Client;

    /// <summary>Plain HTTP, for bundle URLs (they point at Azurite, not at the server).</summary>
    public HttpClient Downloads { get; } = new();

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync() => _host = await TestLocalHost.StartAsync(_settings, _configureServices);

    public async Task DisposeAsync()
    {
        Downloads.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
    }

    public DeviceFleet Fleet(SimulationOptions options) =>
        new(Client, Downloads, options, TimeProvider.System);

    public SimulationOptions Options(int devices, int seed) => new()
    {
        ServerUrl = BaseAddress,
        Devices = devices,
        Seed = seed,
        Rounds = 3,
        Interval = TimeSpan.Zero,
    };

    /// <summary>
    /// Writes a rollout straight to the catalog, as the management API does (write, then <c>Invalidate</c>). This
    /// instance's next check must already serve it (read your own writes, docs/read-path.md): a snapshot without it is
    /// a failure here, not something to wait out.
    /// </summary>
    public async Task PutRolloutAsync(RolloutDefinition rollout)
    {
        await Services.GetRequiredService<ICatalogStore>().PutRolloutAsync(AppId, rollout, WriteCondition.Create, CancellationToken.None);
        var snapshots = Services.GetRequiredService<IAppSnapshotSource>();
        snapshots.Invalidate(AppId);
        if ((await snapshots.GetAsync(AppId, CancellationToken.None))?.Rollouts.Any(r => r.Id == rollout.Id) != true)
            throw new InvalidOperationException($"The first check after writing rollout {rollout.Id} did not see it.");
    }

    /// <summary>Waits until every stats event accepted so far is in the metrics, then sums the counters of one bundle.</summary>
    public async Task<MetricCounters> CountersAsync(string bundle, string segment = MetricKey.AllSegment, string? channel = null)
    {
        var services = Services;
        await services.GetRequiredService<InProcessEventHub>().DrainAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var rows = await services.GetRequiredService<IMetricsStore>().QueryAsync(AppId, now.AddHours(-2), now.AddHours(1), CancellationToken.None);
        return MetricCounters.Sum(rows
            .Where(r => r.Key.BundleVersion == bundle && r.Key.Segment == segment && (channel is null || r.Key.Channel == channel))
            .Select(r => r.Counters));
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostGroup : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "Simulator against LocalHost";
}
