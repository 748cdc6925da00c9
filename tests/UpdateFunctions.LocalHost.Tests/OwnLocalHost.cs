using Microsoft.AspNetCore.Mvc.Testing;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests;

/// <summary>
/// A LocalHost of one test's own, on Azurite under unique names, seeded with the demo app, with extra settings:
/// for tests whose configuration (limits, schedules, partitions) must not leak into the shared fixtures.
/// </summary>
internal sealed class OwnLocalHost : IAsyncDisposable
{
    private readonly AzuriteFixture _storage = new();

    private OwnLocalHost() { }

    public WebApplicationFactory<LocalHostEntryPoint> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => Factory.Services;

    public static async Task<OwnLocalHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var host = new OwnLocalHost();
        await host._storage.InitializeAsync();
        host.Factory = new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
        {
            host._storage.UseIn(builder);
            builder.UseSetting("seed", RepoPaths.DemoSeed);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        });
        host.Client = host.Factory.CreateClient();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
