using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Benchmarks;

/// <summary>
/// The aggregator's in-memory fold of one Event Hubs partition batch of 10,000 stats events (one core): time and
/// allocations per event, events per second, and the storage writes the batch needs (one per distinct key).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
[Config(typeof(FoldColumns))]
public class TelemetryFoldBenchmarks
{
    public const int EventsPerBatch = 10_000;

    private List<SequencedStatsEvent> _events = [];
    private ISegmentClassifier _classifier = AllSegmentClassifier.Instance;

    /// <summary><c>all</c>: the default classifier; <c>3-segments</c>: every event also counts in three segments.</summary>
    [Params("all", "3-segments")]
    public string Segments { get; set; } = "all";

    [GlobalSetup]
    public void Setup()
    {
        _classifier = Segments == "all" ? AllSegmentClassifier.Instance : new ThreeSegments();
        _events = Generate(EventsPerBatch);
    }

    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int FoldPartitionBatch() => MetricsFold.FoldBatch("0", _events, _classifier).Keys.Count;

    /// <summary>Distinct keys, i.e. row writes, for the batch the benchmark folds.</summary>
    public int StorageWrites() => MetricsFold.FoldBatch("0", _events, _classifier).Keys.Count;

    /// <summary>
    /// A realistic mix for one app: 5,000 devices, 3 platforms, 3 channels (one unspecified), 4 live bundles, events
    /// received over 2 hours; mostly sessions, some installs and downloads, a few failures and unknown actions.
    /// </summary>
    public static List<SequencedStatsEvent> Generate(int count)
    {
        var random = new Random(2026);
        string?[] channels = [null, "production", "beta"];
        string[] bundles = ["1.4.0", "1.5.0", "1.5.1", "1.6.0-rc.1"];
        var devices = Enumerable.Range(0, 5_000).Select(i => new DeviceInfo(
            "com.example.app",
            $"0b6e1c1e-5d3c-4a7e-9f0a-{i:D12}",
            (Platform)(i % 3),
            bundles[i / 9 % bundles.Length],
            "1.0.0",
            DefaultChannel: channels[i / 3 % channels.Length],
            PluginVersion: "8.0.0")).ToArray();
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var result = new List<SequencedStatsEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var device = devices[random.Next(devices.Length)];
            var roll = random.Next(100);
            var action = roll switch
            {
                < 40 => "app_moved_to_foreground",
                < 70 => "app_moved_to_background",
                < 75 => "app_launch_start",
                < 80 => "set",
                < 90 => "download_" + (random.Next(10) * 10).ToString(CultureInfo.InvariantCulture),
                < 95 => "download_complete",
                < 97 => "download_fail",
                < 98 => "checksum_fail",
                < 99 => "update_fail",
                _ => "something_new",
            };
            var version = action == "checksum_fail" ? device.VersionName + ":www/main.js" : device.VersionName;
            var received = start.AddMilliseconds(i * (7_200_000.0 / count));
            result.Add(new SequencedStatsEvent(1_000_000 + i, new StatsEvent(device, action, version, null, null, null, received)));
        }

        return result;
    }

    private sealed class ThreeSegments : ISegmentClassifier
    {
        private static readonly string[] PlatformSegments = ["ios-users", "android-users", "desktop-users"];

        public int Classify(DeviceInfo device, Span<string> segments)
        {
            segments[0] = PlatformSegments[(int)device.Platform];
            segments[1] = device.IsProd ? "production-builds" : "dev-builds";
            segments[2] = device.PluginVersion is "8.0.0" ? "plugin-v8" : "plugin-older";
            return 3;
        }
    }

    private sealed class FoldColumns : ManualConfig
    {
        public FoldColumns()
        {
            AddColumn(new EventsPerSecondColumn(), new StorageWritesColumn());
        }
    }

    private sealed class EventsPerSecondColumn : IColumn
    {
        public string Id => nameof(EventsPerSecondColumn);

        public string ColumnName => "Events/s/core";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Events folded per second on one core (1 s / mean time per event)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } statistics
                ? (1e9 / statistics.Mean).ToString("N0", CultureInfo.InvariantCulture)
                : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class StorageWritesColumn : IColumn
    {
        public string Id => nameof(StorageWritesColumn);

        public string ColumnName => "Writes/10k events";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 1;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Table rows written for a 10,000-event batch: one per distinct key, not one per event";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var benchmark = new TelemetryFoldBenchmarks
            {
                Segments = benchmarkCase.Parameters["Segments"] as string ?? "all",
            };
            benchmark.Setup();
            return benchmark.StorageWrites().ToString(CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
