using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.LocalHost.Telemetry;
using UpdateFunctions.Testing;
using static UpdateFunctions.LocalHost.Tests.Devices.DeviceRequests;

namespace UpdateFunctions.LocalHost.Tests;

/// <summary>
/// Whole-pipeline properties on a LocalHost of its own: every storage request is counted at the Azure SDK pipeline,
/// and the metrics store can be made to fail, to watch the in-process Event Hub deliver a batch again.
/// </summary>
public sealed class PipelineProofTests : IAsyncLifetime
{
    private readonly CountingPolicy _requests = new();
    private readonly FlakyMetricsStore.Switch _metricsFailures = new();
    private TestLocalHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestLocalHost.StartAsync([("LocalHost:Telemetry:RedeliveryDelay", "00:00:00.050")], services =>
        {
            services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.AddPolicy(_requests, HttpPipelinePosition.PerCall)));
            services.Decorate<IMetricsStore>(inner => new FlakyMetricsStore(inner, _metricsFailures));
        });
        _client = _host.Client;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_warm_update_check_makes_no_storage_call()
    {
        var device = Device(versionName: "builtin", versionBuild: "1.0.0");
        var (coldStatus, _) = await CheckAsync(_client, device);
        var before = _requests.Count;

        for (var i = 0; i < 20; i++)
        {
            device["device_id"] = $"0c0ffee0-0000-4000-8000-{i:D12}";
            var (status, body) = await CheckAsync(_client, device);
            Assert.Equal(200, status);
            Assert.Equal("1.0.1", body.Str("version"));
        }

        Assert.Equal(200, coldStatus);
        Assert.True(before > 0, "the counter sees the cold check's storage calls");
        Assert.Equal(before, _requests.Count);
    }

    [Fact]
    public async Task A_batch_whose_aggregation_fails_is_delivered_again_and_counted_once()
    {
        _metricsFailures.FailNext(2);
        var batch = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            var e = Device(deviceId: $"0c0ffee0-0000-4000-8000-{i:D12}", versionName: "6.0.0");
            e["action"] = "set";
            batch.Add(e);
        }

        var (status, _) = await SendAsync(_client, HttpMethod.Post, "/api/stats", batch);
        var hub = _host.Services.GetRequiredService<InProcessEventHub>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await hub.DrainAsync(timeout.Token);

        Assert.Equal(200, status);
        Assert.True(hub.Redeliveries >= 2);
        var now = DateTimeOffset.UtcNow;
        var rows = await _host.Services.GetRequiredService<IMetricsStore>().QueryAsync(AppId, now.AddHours(-2), now.AddHours(1), CancellationToken.None);
        Assert.Equal(10, rows.Where(r => r.Key.BundleVersion == "6.0.0" && r.Key.Segment == MetricKey.AllSegment).Sum(r => r.Counters.Installs));
    }

    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }

    /// <summary>The real store, failing on demand the way an unreachable table would.</summary>
    private sealed class FlakyMetricsStore(IMetricsStore inner, FlakyMetricsStore.Switch failures) : IMetricsStore
    {
        public sealed class Switch
        {
            private int _remaining;

            public void FailNext(int count) => Interlocked.Exchange(ref _remaining, count);

            public bool ShouldFail() => Interlocked.Decrement(ref _remaining) >= 0;
        }

        public Task<MetricsApplyResult> ApplyBatchAsync(MetricsBatch batch, CancellationToken cancellationToken) =>
            failures.ShouldFail()
                ? throw new InvalidOperationException("metrics table unreachable (simulated)")
                : inner.ApplyBatchAsync(batch, cancellationToken);

        public Task<IReadOnlyList<MetricsRow>> QueryAsync(string appId, DateTimeOffset fromHour, DateTimeOffset untilHour, CancellationToken cancellationToken) =>
            inner.QueryAsync(appId, fromHour, untilHour, cancellationToken);
    }
}

internal static class ServiceCollectionDecorationExtensions
{
    /// <summary>Wraps the registered singleton <typeparamref name="T"/> with <paramref name="decorate"/>.</summary>
    public static IServiceCollection Decorate<T>(this IServiceCollection services, Func<T, T> decorate) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(provider => decorate(
            (T)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!))));
        return services;
    }
}
