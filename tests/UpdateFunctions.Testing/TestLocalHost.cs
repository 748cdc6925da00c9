using System.Net;
using System.Net.Sockets;
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
    private TestLocalHost(AzuriteFixture storage, WebApplicationFactory<LocalHostEntryPoint> factory, HttpClient client)
    {
        Storage = storage;
        Factory = factory;
        Client = client;
    }

    /// <summary>The host's own tables and container (deleted on dispose).</summary>
    public AzuriteFixture Storage { get; }

    public WebApplicationFactory<LocalHostEntryPoint> Factory { get; }

    /// <summary>HTTP to the host, in process.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => Factory.Services;

    public static Task<TestLocalHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(settings, null);

    /// <summary>Starts a host with <paramref name="settings"/> and, if given, services replaced or decorated by <paramref name="configureServices"/>.</summary>
    public static async Task<TestLocalHost> StartAsync(IEnumerable<(string Key, string Value)> settings, Action<IServiceCollection>? configureServices)
    {
        var storage = new AzuriteFixture();
        await storage.InitializeAsync();
        var factory = CreateFactory(storage, settings, configureServices);
        return new TestLocalHost(storage, factory, factory.CreateClient());
    }

    /// <summary>
    /// Starts a host on a real Kestrel port of 127.0.0.1 instead of the in-memory test server, for clients that need a
    /// socket (a browser); <see cref="Client"/> talks to it over HTTP.
    /// </summary>
    public static async Task<TestLocalHost> StartOnKestrelAsync(params (string Key, string Value)[] settings)
    {
        var storage = new AzuriteFixture();
        await storage.InitializeAsync();
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var factory = CreateFactory(storage, [.. settings, ("urls", address.ToString())], null);
        factory.UseKestrel(port);
        factory.StartServer();
        return new TestLocalHost(storage, factory, new HttpClient { BaseAddress = address });
    }

    private static WebApplicationFactory<LocalHostEntryPoint> CreateFactory(
        AzuriteFixture storage, IEnumerable<(string Key, string Value)> settings, Action<IServiceCollection>? configureServices)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
        {
            storage.UseIn(builder);
            builder.UseSetting("DeviceApi:RateLimitPerDevicePerMinute", "0");
            builder.UseSetting("seed", RepoPaths.DemoSeed);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            if (configureServices is not null)
                builder.ConfigureTestServices(configureServices);
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
