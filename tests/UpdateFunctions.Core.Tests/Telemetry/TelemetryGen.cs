using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

/// <summary>Seeded generators of stats events for the property tests.</summary>
internal static class TelemetryGen
{
    public static readonly string[] ProtocolActions =
    [
        "app_moved_to_foreground", "app_moved_to_background", "app_launch_start", "app_launch_ready", "app_launch_timeout",
        "set", "set_fail", "set_next", "reset", "delete", "update_fail",
        "download_0", "download_10", "download_20", "download_30", "download_40", "download_50", "download_60",
        "download_70", "download_80", "download_90", "download_complete", "download_fail",
        "download_zip_start", "download_zip_complete", "download_manifest_start", "download_manifest_complete",
        "download_manifest_file_fail", "download_manifest_checksum_fail", "download_manifest_brotli_fail",
        "manifest_path_fail", "finish_download_fail", "checksum_fail", "checksum_required", "session_key_required",
        "decrypt_fail", "unzip_fail", "windows_path_fail", "canonical_path_fail", "directory_path_fail",
        "low_mem_fail", "insufficient_disk_space",
        "app_crash", "app_crash_native", "app_anr", "app_killed_low_memory", "webview_javascript_error",
        "webview_render_process_gone", "rate_limit_reached", "blocked_by_server_url", "os_version_changed",
        "native_app_version_changed",
    ];

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 22, 0, 0, TimeSpan.Zero);

    private static readonly string[] Apps = ["com.example.one", "com.example.two"];
    private static readonly string?[] Channels = [null, "beta", "production"];
    private static readonly string[] Bundles = ["1.0.0", "1.1.0", "1.2.0-rc.1"];

    public static StatsEvent Event(Random random, int devices = 50, int hours = 4)
    {
        var app = Apps[random.Next(Apps.Length)];
        var deviceId = $"device-{random.Next(devices):D4}";
        var bundle = Bundles[random.Next(Bundles.Length)];
        var roll = random.Next(100);
        var action = roll switch
        {
            < 2 => "something_new_" + random.Next(3),
            < 40 => ProtocolActions[random.Next(ProtocolActions.Length)],
            < 60 => "app_moved_to_foreground",
            < 75 => "set",
            < 85 => "download_complete",
            _ => "download_fail",
        };
        var versionName = action == "download_manifest_file_fail" ? bundle + ":www/assets/app.js" : bundle;
        var device = new DeviceInfo(
            app,
            deviceId,
            (Platform)random.Next(3),
            bundle,
            "1.0.0",
            DefaultChannel: Channels[random.Next(Channels.Length)],
            CustomId: random.Next(4) == 0 ? "vip" : null);
        var received = Start.AddMinutes(random.Next(hours * 60)).AddMilliseconds(random.Next(60_000));
        return new StatsEvent(device, action, versionName, null, received.ToUnixTimeMilliseconds(), null, received);
    }

    public static List<StatsEvent> Events(Random random, int count, int devices = 50, int hours = 4) =>
        Enumerable.Range(0, count).Select(_ => Event(random, devices, hours)).ToList();

    /// <summary>Events of one partition with increasing (gapped) sequence numbers.</summary>
    public static List<SequencedStatsEvent> Sequenced(Random random, int count, long firstSequenceNumber = 0)
    {
        var sequence = firstSequenceNumber;
        var result = new List<SequencedStatsEvent>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(new SequencedStatsEvent(sequence, Event(random)));
            sequence += 1 + random.Next(3);
        }

        return result;
    }

    /// <summary>Cuts a list into consecutive chunks of random sizes (1..maxSize).</summary>
    public static List<List<T>> Split<T>(Random random, IReadOnlyList<T> items, int maxSize)
    {
        var chunks = new List<List<T>>();
        for (var i = 0; i < items.Count;)
        {
            var size = Math.Min(1 + random.Next(maxSize), items.Count - i);
            chunks.Add(items.Skip(i).Take(size).ToList());
            i += size;
        }

        return chunks;
    }

    /// <summary>Puts devices with a custom id in a "vip" segment and every device in a platform segment.</summary>
    public sealed class TestClassifier : ISegmentClassifier
    {
        public int Classify(DeviceInfo device, Span<string> segments)
        {
            var count = 0;
            segments[count++] = "platform-" + device.Platform.ToWire();
            if (device.CustomId == "vip")
                segments[count++] = "vip";
            return count;
        }
    }

    public static void AssertSameMetrics(
        IReadOnlyDictionary<MetricKey, MetricCounters> expected, IReadOnlyDictionary<MetricKey, MetricCounters> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k.ToString()), actual.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, counters) in expected)
            Assert.True(counters.Equals(actual[key]), $"{key}: expected {counters}, got {actual[key]}");
    }

    public static Dictionary<MetricKey, MetricCounters> SumRows(IEnumerable<MetricsRow> rows)
    {
        var result = new Dictionary<MetricKey, MetricCounters>();
        foreach (var row in rows)
        {
            if (!result.TryGetValue(row.Key, out var total))
                result[row.Key] = total = new MetricCounters();
            total.Merge(row.Counters);
        }

        return result;
    }
}
