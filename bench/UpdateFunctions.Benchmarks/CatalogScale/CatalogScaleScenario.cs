using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Seeding;
using UpdateFunctions.Core.Updates;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Blobs;
using UpdateFunctions.Storage.Diagnostics;
using UpdateFunctions.Storage.Snapshots;
using UpdateFunctions.Storage.Tables;

namespace UpdateFunctions.Benchmarks.CatalogScale;

/// <summary>
/// The catalog read path at scale, against a real storage account (Azurite): for each size, an app with that many
/// device rows is imported as <c>--seed</c> does it, compacted, and measured. Storage traffic is counted by a pipeline
/// policy on the clients, time with a stopwatch, memory with the GC. Not a BenchmarkDotNet run: each figure is one
/// storage-bound scenario, reported as measured.
/// </summary>
internal static class CatalogScaleScenario
{
    private const string AppId = "com.bench.scale";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Option(args, "--devices", "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var coldOnly = Option(args, "--cold-only", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var connection = Option(args, "--storage",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            "BlobEndpoint=http://127.0.0.1:21700/devstoreaccount1;TableEndpoint=http://127.0.0.1:21702/devstoreaccount1;");
        var stormSeconds = int.Parse(Option(args, "--storm-seconds", "10"), CultureInfo.InvariantCulture);

        Console.WriteLine($"# Catalog read path at scale ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine();
        foreach (var size in sizes)
            await new Run(connection, size, stormSeconds).MeasureAsync();
        foreach (var size in coldOnly)
            await new Run(connection, size, stormSeconds).MeasureColdOnlyAsync();
        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed class Run(string connection, int devices, int stormSeconds)
    {
        private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
        private IOptions<StorageOptions> Options => Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            ConnectionString = connection,
            TablePrefix = "bench" + _suffix,
            BundlesContainer = "bench-bundles-" + _suffix,
            SnapshotsContainer = "bench-snap-" + _suffix,
            SnapshotRefreshInterval = Interval,
        });

        public async Task MeasureAsync()
        {
            Console.WriteLine($"## {devices:N0} device rows");
            var writerTraffic = new StorageTrafficCounter();
            var writer = Store(writerTraffic);

            // 1. --seed: the seed loader (listing, batched upserts, their change-log entries), then the compaction LocalHost runs after it.
            var seed = new SeedDocument([new SeedApp(AppId, "Scale", "production", null,
                [new SeedChannel("production", "1.0.0"), new SeedChannel("beta", "1.1.0", AllowDeviceSelfSet: true)],
                [new SeedBundle("1.0.0", null, new Uri("https://cdn.example/1.0.0.zip"), new string('a', 64)),
                 new SeedBundle("1.1.0", null, new Uri("https://cdn.example/1.1.0.zip"), new string('b', 64))],
                [.. Enumerable.Range(0, devices).Select(i => new SeedDevice(DeviceId(i), i % 2 == 0 ? "beta" : null, i % 2 == 1 ? "1.0.0" : null))])]);
            var blobs = new BlobServiceClient(connection);
            var loader = new SeedLoader(writer, new BlobBundleStore(blobs, Options, NullLogger<BlobBundleStore>.Instance),
                new BundleManifestBuilder(new BlobBundleFileStore(blobs, Options, NullLogger<BlobBundleFileStore>.Instance)), TimeProvider.System);
            var watch = Stopwatch.StartNew();
            await loader.ApplyAsync(seed, Path.GetTempPath(), CancellationToken.None);
            var seeded = watch.Elapsed;
            var seedTransactions = writerTraffic.Requests;
            watch.Restart();
            var compaction = await Compactor(writer).CompactAsync(AppId, CancellationToken.None);
            var compacted = watch.Elapsed;
            Report("seed (import + change log)", $"{seeded.TotalSeconds:F1} s, {seedTransactions:N0} table transactions ({devices / seeded.TotalSeconds:N0} rows/s)");
            Report("compaction (read all rows, write blob)", $"{compacted.TotalSeconds:F1} s, blob {compaction.BlobBytes:N0} bytes ({(double)compaction.BlobBytes / devices:F1} B/row)");

            // 2. Changes after the compaction, then a cold instance: blob + changes; memory of what it holds.
            using var primary = Source(writer, blobs: true);
            await primary.GetAsync(AppId, CancellationToken.None);
            for (var i = 0; i < 200; i++)
                await writer.PutDeviceAsync(AppId, new DeviceRecord($"late-{i}", SelfAssignedChannel: "beta"), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            await MeasureColdAsync("late-199");

            // 3. Idle refresh: what one interval costs once nothing changes.
            var idleTraffic = new StorageTrafficCounter();
            using (var idle = Source(Store(idleTraffic), blobs: true))
            {
                await idle.GetAsync(AppId, CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(6)); // past the overlap after the load
                await ForceRefreshAsync(idle);
                var (requests, bytes) = (idleTraffic.Requests, idleTraffic.ResponseBytes + idleTraffic.RequestBytes);
                for (var i = 0; i < 3; i++)
                    await ForceRefreshAsync(idle);
                Report("idle refresh, per app per interval", $"{(idleTraffic.Requests - requests) / 3.0:F1} table transactions, {(idleTraffic.ResponseBytes + idleTraffic.RequestBytes - bytes) / 3.0:N0} bytes");
            }

            // 4. channel_self storm through the real handler, and update checks on the same instance: quiet, then during the storm.
            await StormAsync(writer, writerTraffic, primary);

            // 5. The emulator's own ceiling at this size: bare single-row inserts into the same devices table, no handler, no log.
            await EmulatorCeilingAsync();

            // 6. Propagation: instance B, refreshing every interval on its own checks, sees A's write.
            await PropagationAsync(writer);
            await CleanUpAsync();
            Console.WriteLine();
        }

        /// <summary>
        /// How many bare inserts per second the emulator takes into this run's devices table (32 clients, like the storm):
        /// the join path cannot beat it, and its fall with the table's size is the emulator's, not the code's.
        /// </summary>
        private async Task EmulatorCeilingAsync()
        {
            var devices = new TableServiceClient(connection).GetTableClient(Options.Value.TablePrefix + TableCatalogStore.DevicesTable);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var inserts = 0L;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = $"raw-{w}-{i}";
                    await devices.AddEntityAsync(new TableEntity(DevicePartitions.Of(AppId, id), id) { ["SelfAssignedChannel"] = "beta" });
                    Interlocked.Increment(ref inserts);
                }
            })));
            Report("emulator ceiling: bare row inserts, same table (32 clients)", $"{inserts / watch.Elapsed.TotalSeconds:N0} inserts/s");
        }

        /// <summary>Drops this run's tables and containers, so the next size starts on an emulator as empty as this one did.</summary>
        private async Task CleanUpAsync()
        {
            var tables = new TableServiceClient(connection);
            await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(Options.Value.TablePrefix) >= 0 && t.Name.CompareTo(Options.Value.TablePrefix + "~") < 0))
                await tables.DeleteTableAsync(table.Name);
            var blobs = new BlobServiceClient(connection);
            await blobs.GetBlobContainerClient(Options.Value.BundlesContainer).DeleteIfExistsAsync();
            await blobs.GetBlobContainerClient(Options.Value.SnapshotsContainer).DeleteIfExistsAsync();
        }

        /// <summary>The cold start at sizes the emulator cannot hold as rows: the blob holds the device rows, the tables the rest.</summary>
        public async Task MeasureColdOnlyAsync()
        {
            Console.WriteLine($"## {devices:N0} device rows, cold start only (rows in the snapshot blob, not imported into the emulator's table)");
            var writer = Store(new StorageTrafficCounter());
            await writer.PutBundleAsync(AppId, new BundleDefinition("1.0.0", null, "https://cdn.example/1.0.0.zip", new string('a', 64), 0), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            await writer.PutChannelAsync(AppId, new ChannelDefinition("production", 1, "1.0.0"), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            await writer.PutChannelAsync(AppId, new ChannelDefinition("beta", 2, "1.0.0", AllowDeviceSelfSet: true), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            await writer.PutAppAsync(new AppDefinition(AppId, "Scale", "production"), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            var rows = Enumerable.Range(0, devices).Select(i => new DeviceRecord(DeviceId(i), i % 2 == 0 ? "beta" : null, i % 2 == 1 ? "1.0.0" : null)).ToList();
            var now = DateTimeOffset.UtcNow.UtcTicks;
            var blobBytes = await SnapshotBlobs().WriteAsync(AppId, now - TimeSpan.FromSeconds(5).Ticks, now, rows, CancellationToken.None);
            rows = null;
            Report("snapshot blob", $"{blobBytes:N0} bytes ({(double)blobBytes / devices:F1} B/row)");
            for (var i = 0; i < 200; i++)
                await writer.PutDeviceAsync(AppId, new DeviceRecord($"late-{i}", SelfAssignedChannel: "beta"), Core.Persistence.WriteCondition.Any, CancellationToken.None);
            await MeasureColdAsync("late-199");
            await CleanUpAsync();
            Console.WriteLine();
        }

        private async Task MeasureColdAsync(string lateDevice)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var traffic = new StorageTrafficCounter();
            var watch = Stopwatch.StartNew();
            using var cold = Source(Store(traffic), blobs: true);
            var snapshot = await cold.GetAsync(AppId, CancellationToken.None);
            var elapsed = watch.Elapsed;
            var correct = snapshot?.FindDevice(lateDevice)?.SelfAssignedChannel == "beta" && snapshot.FindDevice(DeviceId(devices - 1)) is not null;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Report("cold instance, first correct answer", $"{elapsed.TotalSeconds:F2} s ({(correct ? "correct" : "WRONG")}), {traffic.Requests} table transactions");
            Report("snapshot memory per device row", $"{(double)(after - before) / snapshot!.Devices.Count:F0} bytes (GC heap growth); compact arrays {(double)snapshot.Devices.BaseBytes / snapshot.Devices.Count:F0} bytes");
            GC.KeepAlive(snapshot);
        }

        private async Task StormAsync(TableCatalogStore writer, StorageTrafficCounter writerTraffic, CachedAppSnapshotSource primary)
        {
            var limiter = new DeviceRateLimiter(new DeviceRateLimits(int.MaxValue, int.MaxValue), TimeProvider.System);
            var decider = new UpdateDecider();
            var urls = new BlobDownloadUrls(new BlobServiceClient(connection),
                Microsoft.Extensions.Options.Options.Create(new StorageOptions { BundleBaseUrl = new Uri("https://cdn.example/bundles") }),
                TimeProvider.System, NullLogger<BlobDownloadUrls>.Instance);
            var checks = new UpdateCheckHandler(primary, new OfferBodyCache(urls, TimeProvider.System), decider, limiter);
            var channelSelf = new ChannelSelfHandler(primary, writer, decider, limiter);

            var quiet = await ChecksAsync(checks, TimeSpan.FromSeconds(5), CancellationToken.None);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(stormSeconds));
            var writes = 0L;
            var failures = 0L;
            var writers = Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var body = Encoding.UTF8.GetBytes(Body($"storm-{w}-{i}", "beta"));
                    var response = await channelSelf.SetAsync(body, CancellationToken.None);
                    if (response.StatusCode == 200)
                        Interlocked.Increment(ref writes);
                    else
                        Interlocked.Increment(ref failures);
                }
            })).ToList();
            var requestsBefore = writerTraffic.Requests;
            var watch = Stopwatch.StartNew();
            var during = await ChecksAsync(checks, TimeSpan.FromSeconds(stormSeconds - 1), CancellationToken.None);
            await Task.WhenAll(writers);
            var rate = writes / watch.Elapsed.TotalSeconds;
            var perJoin = (double)(writerTraffic.Requests - requestsBefore) / Math.Max(1, writes);
            Report("channel_self joins (32 clients, real handler)", $"{rate:N0} writes/s ({failures} failed), {perJoin:F2} table transactions per join");
            Report("update check, quiet", $"p50 {quiet.P50:F3} ms, p99 {quiet.P99:F3} ms ({quiet.Count:N0} checks)");
            Report("update check, during the joins", $"p50 {during.P50:F3} ms, p99 {during.P99:F3} ms ({during.Count:N0} checks)");
        }

        private async Task PropagationAsync(TableCatalogStore writer)
        {
            using var other = Source(Store(new StorageTrafficCounter()), blobs: true);
            await other.GetAsync(AppId, CancellationToken.None);
            var samples = new List<double>();
            for (var s = 0; s < 3; s++)
            {
                var deviceId = $"propagation-{s}";
                var written = Stopwatch.StartNew();
                await writer.PutDeviceAsync(AppId, new DeviceRecord(deviceId, SelfAssignedChannel: "beta"), Core.Persistence.WriteCondition.Any, CancellationToken.None);
                while ((await other.GetAsync(AppId, CancellationToken.None))?.FindDevice(deviceId) is null)
                    await Task.Delay(10);
                samples.Add(written.Elapsed.TotalSeconds);
                await Task.Delay(TimeSpan.FromSeconds(3.3 * (s + 1))); // land at different points of B's interval
            }
            Report("cross-instance propagation (interval 10 s)", string.Join(", ", samples.Select(v => $"{v:F2} s")) + $"; max {samples.Max():F2} s");
        }

        private static async Task<(double P50, double P99, int Count)> ChecksAsync(UpdateCheckHandler checks, TimeSpan duration, CancellationToken cancellationToken)
        {
            var latencies = new List<double>();
            var watch = Stopwatch.StartNew();
            var random = new Random(7);
            while (watch.Elapsed < duration)
            {
                var body = Encoding.UTF8.GetBytes(CheckBody(DeviceId(random.Next(1_000_000))));
                var start = Stopwatch.GetTimestamp();
                await checks.HandleAsync(body, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                await Task.Delay(1, cancellationToken); // a steady stream, not a spin that starves the writers
            }
            latencies.Sort();
            return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies.Count);
        }

        private TableCatalogStore Store(HttpPipelinePolicy traffic)
        {
            var options = new TableClientOptions();
            options.AddPolicy(traffic, HttpPipelinePosition.PerRetry);
            return new TableCatalogStore(new TableServiceClient(connection, options), Options, TimeProvider.System);
        }

        private CatalogSnapshotBlobs SnapshotBlobs() => new(new BlobServiceClient(connection), Options);

        private CatalogCompactor Compactor(TableCatalogStore store) =>
            new(store, SnapshotBlobs(), Options, TimeProvider.System, NullLogger<CatalogCompactor>.Instance);

        private CachedAppSnapshotSource Source(TableCatalogStore store, bool blobs) =>
            new(store, Options, TimeProvider.System, NullLogger<CachedAppSnapshotSource>.Instance, snapshotBlobs: blobs ? SnapshotBlobs() : null);

        private static async Task ForceRefreshAsync(CachedAppSnapshotSource source)
        {
            source.Invalidate(AppId);
            await source.GetAsync(AppId, CancellationToken.None);
            await source.WhenRefreshedAsync(AppId);
        }

        private static void Report(string what, string value) => Console.WriteLine($"| {what} | {value} |");

        private static string Body(string deviceId, string channel) =>
            $$"""{"platform":"android","device_id":"{{deviceId}}","app_id":"{{AppId}}","custom_id":"","version_build":"1.0.0","version_code":"1","version_os":"14","version_name":"1.0.0","plugin_version":"6.0.0","is_emulator":false,"is_prod":true,"channel":"{{channel}}"}""";

        private static string CheckBody(string deviceId) =>
            $$"""{"platform":"android","device_id":"{{deviceId}}","app_id":"{{AppId}}","custom_id":"","version_build":"1.0.0","version_code":"1","version_os":"14","version_name":"1.0.0","plugin_version":"8.3.1","is_emulator":false,"is_prod":true}""";

        /// <summary>A UUID-shaped id that looks random (as real device ids do, so the blob compresses no better than it would).</summary>
        private static string DeviceId(int i) =>
            new Guid(System.IO.Hashing.XxHash128.Hash(BitConverter.GetBytes(i))).ToString();
    }
}
