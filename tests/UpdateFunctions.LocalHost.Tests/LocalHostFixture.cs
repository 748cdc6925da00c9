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
    private TestLocalHost? _host;

    public HttpClient Client => _host!.Client;

    public HttpClient Downloader { get; } = new();

    public IServiceProvider Services => _host!.Services;

    internal InProcessEventHub Telemetry => Services.GetRequiredService<InProcessEventHub>();

    public IMetricsStore Metrics => Services.GetRequiredService<IMetricsStore>();

    public async Task InitializeAsync() => _host = await TestLocalHost.StartAsync();

    public async Task DisposeAsync()
    {
        Downloader.Dispose();
        if (_host is not null)
            await _host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostGroup : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
