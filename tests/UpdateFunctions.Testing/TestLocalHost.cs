using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.LocalHost;

namespace UpdateFunctions.Testing;

/// <summary>
/// LocalHost in process (the same Program a developer runs) on Azurite under names of its own, seeded with
/// <c>samples/demo-seed.json</c> through <c>--seed</c> as <c>./run.sh</c> does. The per-device rate limit is off (it has
/// tests of its own) unless a setting turns it on; later settings win. Every in-process host of the tests is one.
/// </summary>
public sealed class TestLocalHost : IAsyncDisposable
{
    private TestLocalHost(AzuriteFixture storage, WebApplicationFactory<LocalHostEntryPoint> factory)
    {
        Storage = storage;
        Factory = factory;
        Client = factory.CreateClient();
    }

    /// <summary>The host's own tables and container (deleted on dispose).</summary>
    public AzuriteFixture Storage { get; }

    public WebApplicationFactory<LocalHostEntryPoint> Factory { get; }

    /// <summary>HTTP to the host, in process.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => Factory.Services;

    public static Task<TestLocalHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(settings, null);

    /// <summary>
    /// A host on a real loopback port (Kestrel, not the in-memory test server), for clients outside this process such
    /// as Node; <see cref="Client"/> points at it.
    /// </summary>
    public static async Task<TestLocalHost> StartListeningAsync(params (string Key, string Value)[] settings)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        // LocalHost listens on 7071 unless told otherwise.
        return await StartAsync([.. settings, ("urls", $"http://127.0.0.1:{port}")], null, listen: true);
    }

    /// <summary>Starts a host with <paramref name="settings"/> and, if given, services replaced or decorated by <paramref name="configureServices"/>.</summary>
    public static Task<TestLocalHost> StartAsync(IEnumerable<(string Key, string Value)> settings, Action<IServiceCollection>? configureServices) =>
        StartAsync(settings, configureServices, listen: false);

    private static async Task<TestLocalHost> StartAsync(
        IEnumerable<(string Key, string Value)> settings, Action<IServiceCollection>? configureServices, bool listen)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var storage = new AzuriteFixture();
        await storage.InitializeAsync();
        var factory = new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
        {
            storage.UseIn(builder);
            builder.UseSetting("DeviceApi:RateLimitPerDevicePerMinute", "0");
            builder.UseSetting("seed", RepoPaths.DemoSeed);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            if (configureServices is not null)
                builder.ConfigureTestServices(configureServices);
        });
        if (listen)
            factory.UseKestrel();
        return new TestLocalHost(storage, factory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
