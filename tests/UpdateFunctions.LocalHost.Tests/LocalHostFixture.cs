using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests;

/// <summary>
/// LocalHost in process (the same Program a developer runs), on real Azurite storage under unique names,
/// seeded with <c>samples/demo-seed.json</c> through <c>--seed</c> exactly as <c>./run.sh</c> does.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _storage = new();
    private WebApplicationFactory<LocalHostEntryPoint>? _factory;

    public HttpClient Client { get; private set; } = null!;

    public HttpClient Downloader { get; } = new();

    public IServiceProvider Services => _factory!.Services;

    internal InProcessEventHub Telemetry => Services.GetRequiredService<InProcessEventHub>();

    public IMetricsStore Metrics => Services.GetRequiredService<IMetricsStore>();

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        _factory = new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
        {
            _storage.UseIn(builder);
            // Many calls from one test device: the rate limit has tests of its own.
            builder.UseSetting("DeviceApi:RateLimitPerDevicePerMinute", "0");
            builder.UseSetting("seed", RepoPaths.DemoSeed);
        });
        Client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Downloader.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await _storage.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostGroup : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
