using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

/// <summary>Azure.Core's warnings for answers we expect (404, 409) go to Debug; real error answers stay warnings.</summary>
public sealed class ExpectedAnswersLoggerFactoryTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_409_and_a_404_from_storage_are_debug_and_a_400_stays_a_warning()
    {
        var logs = new Capture();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:BundlesContainer"] = azurite.BundlesContainer,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddUpdateStorage(configuration);
        using var provider = services.BuildServiceProvider();
        var blobs = provider.GetRequiredService<BlobServiceClient>();
        var container = blobs.GetBlobContainerClient("expected-" + Guid.NewGuid().ToString("N")[..12]);

        await container.CreateAsync(cancellationToken: Ct);
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateAsync(cancellationToken: Ct));
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("none").DownloadContentAsync(Ct));
        var invalid = await Assert.ThrowsAsync<RequestFailedException>(() => blobs.GetBlobContainerClient("Not_Valid").CreateAsync(cancellationToken: Ct));
        await container.DeleteAsync(cancellationToken: Ct);

        Assert.Equal((409, 404, 400), (conflict.Status, missing.Status, invalid.Status));
        var errorResponses = logs.Entries.Where(e => e.Category == "Azure.Core" && e.Message.StartsWith("Error response", StringComparison.Ordinal)).ToList();
        Assert.Contains(errorResponses, e => e.Level == LogLevel.Debug && e.Message.Contains("] 409 ", StringComparison.Ordinal));
        Assert.Contains(errorResponses, e => e.Level == LogLevel.Debug && e.Message.Contains("] 404 ", StringComparison.Ordinal));
        Assert.Contains(errorResponses, e => e.Level == LogLevel.Warning && e.Message.Contains("] 400 ", StringComparison.Ordinal));
        Assert.DoesNotContain(errorResponses, e => e.Level == LogLevel.Warning && !e.Message.Contains("] 400 ", StringComparison.Ordinal));
    }

    private sealed class Capture : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(Capture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
