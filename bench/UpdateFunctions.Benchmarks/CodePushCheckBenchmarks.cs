using System.Text;
using BenchmarkDotNet.Attributes;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Benchmarks;

/// <summary>
/// A CodePush <c>update_check</c> next to a Capgo <c>/updates</c> check of the same app, same machine, same run. The
/// app has a production channel with 60 CodePush releases (every fifth mandatory, some disabled, three binary ranges)
/// and a running 30 % rollout; devices have varied client ids, binary versions and running releases. <c>CodePushCheck</c>
/// is the whole handler from the parsed query to the response bytes (key hash and lookup, snapshot, release history,
/// rollout bucket, decision, download URL, serialisation); <c>CapgoCheck</c> the Capgo handler from request bytes.
/// </summary>
[MemoryDiagnoser]
public class CodePushCheckBenchmarks
{
    private const int Devices = 1024;
    private const string AppId = "com.bench.rn";
    private IReadOnlyDictionary<string, string?>[] _queries = null!;
    private int[] _queryLengths = null!;
    private byte[][] _capgoBodies = null!;
    private CodePushHandler _codePush = null!;
    private UpdateCheckHandler _capgo = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var ranges = new[] { "1.x", "^2.0.0", ">=2.1.0 <3.0.0" };
        var releases = Enumerable.Range(1, 60).Select(n => new CodePushRelease("production", n, $"0.0.{n}", ranges[Math.Min(2, n / 20)],
            Convert.ToHexStringLower(BitConverter.GetBytes(n)).PadRight(64, 'a'), 2_000_000 + n, IsMandatory: n % 5 == 0, IsDisabled: n % 17 == 0)).ToList();
        var bundles = releases.Select(r => new BundleDefinition(r.Bundle, $"{AppId}/{r.PackageHash}.zip", null, r.PackageHash, r.Size)).ToList();
        var rollout = Core.Rollouts.RolloutTransitions.Apply(
            Core.Rollouts.RolloutDefinition.CreateDraft("r", "production", "0.0.59", "0.0.60", "salt", DateTimeOffset.UnixEpoch, steps: [30, 100]),
            Core.Rollouts.RolloutAction.Start, DateTimeOffset.UnixEpoch, "bench").Rollout!;
        var app = new AppSnapshot(new AppDefinition(AppId, "Bench", "production"),
            [new ChannelDefinition("production", 1, "0.0.59", DisableAutoUpdate: AutoUpdatePolicy.None, DisableAutoUpdateUnderNative: false)],
            bundles, [], DateTimeOffset.UnixEpoch, rollouts: [rollout]);

        var (key, id) = DeploymentKey.Generate();
        var store = new FixedCodePushStore([new DeploymentKey(id, DeploymentKey.HashOf(key), AppId, "production", Platform.Android, "bench", DateTimeOffset.UnixEpoch)], releases);
        var urls = BenchServices.CdnUrls();
        var limiter = BenchServices.CountingLimiter();
        var snapshots = new FixedSnapshotSource(app);
        _codePush = new CodePushHandler(new CodePushDirectory(store, TimeProvider.System, TimeSpan.FromDays(1)), snapshots, urls,
            new NoTelemetry(), limiter, TimeProvider.System);
        _capgo = new UpdateCheckHandler(snapshots, new OfferBodyCache(urls, TimeProvider.System), new UpdateDecider(), limiter);

        _queries = new IReadOnlyDictionary<string, string?>[Devices];
        _queryLengths = new int[Devices];
        _capgoBodies = new byte[Devices][];
        for (var i = 0; i < Devices; i++)
        {
            var client = Guid.NewGuid().ToString().ToUpperInvariant();
            var binary = $"{1 + random.Next(2)}.{random.Next(3)}.0";
            var running = random.Next(4) == 0 ? null : releases[random.Next(60)];
            var query = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["deployment_key"] = key, ["app_version"] = binary, ["client_unique_id"] = client, ["is_companion"] = "false",
            };
            if (running is not null)
            {
                query["label"] = running.Label;
                query["package_hash"] = running.PackageHash;
            }
            _queries[i] = query;
            _queryLengths[i] = query.Sum(p => p.Key.Length + (p.Value?.Length ?? 0) + 2);
            _capgoBodies[i] = Encoding.UTF8.GetBytes(
                $$"""{"platform":"android","device_id":"{{client.ToLowerInvariant()}}","app_id":"{{AppId}}","custom_id":"","version_build":"{{binary}}","version_code":"1","version_os":"14","version_name":"{{running?.Bundle ?? "builtin"}}","plugin_version":"8.3.1","is_emulator":false,"is_prod":true}""");
        }

        // Measure answers, not refusals: every query must be a 200, and the mix must hold updates and no-updates.
        var answers = Enumerable.Range(0, Devices)
            .Select(i => _codePush.CheckAsync(_queries[i], _queryLengths[i], CodePushDialect.SnakeCase, CancellationToken.None).AsTask().GetAwaiter().GetResult())
            .ToList();
        var available = answers.Count(a => Encoding.UTF8.GetString(a.Body).Contains("\"is_available\":true", StringComparison.Ordinal));
        if (answers.Any(a => a.StatusCode != 200) || available == 0 || available == Devices)
            throw new InvalidOperationException($"Unexpected answers: {answers.Count(a => a.StatusCode != 200)} non-200, {available} updates of {Devices}.");
        Console.WriteLine($"// CodePush mix: {available} updates, {Devices - available} no-updates of {Devices}");
    }

    [Benchmark]
    public async Task<DeviceResponse> CodePushCheck()
    {
        var i = _next++ & (Devices - 1);
        return await _codePush.CheckAsync(_queries[i], _queryLengths[i], CodePushDialect.SnakeCase, CancellationToken.None);
    }

    [Benchmark(Baseline = true)]
    public async Task<DeviceResponse> CapgoCheck() => await _capgo.HandleAsync(_capgoBodies[_next++ & (Devices - 1)], CancellationToken.None);

    private sealed class FixedCodePushStore(IReadOnlyList<DeploymentKey> keys, IReadOnlyList<CodePushRelease> releases) : ICodePushStore
    {
        public Task<IReadOnlyList<DeploymentKey>> ListKeysAsync(CancellationToken cancellationToken) => Task.FromResult(keys);

        public Task AddKeyAsync(DeploymentKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteKeyAsync(string hash, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Versioned<CodePushRelease>>> ListReleasesAsync(string appId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Versioned<CodePushRelease>>>([.. releases.Select(r => new Versioned<CodePushRelease>(r, "*"))]);

        public Task<string> PutReleaseAsync(string appId, CodePushRelease release, WriteCondition condition, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<string?> GetKeysVersionAsync(CancellationToken cancellationToken) => Task.FromResult<string?>("fixed");

        public Task<string?> GetReleasesVersionAsync(string appId, CancellationToken cancellationToken) => Task.FromResult<string?>("fixed");
    }

    private sealed class NoTelemetry : ITelemetryPublisher
    {
        public ValueTask PublishAsync(IReadOnlyList<StatsEvent> events, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
