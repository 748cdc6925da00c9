using System.Text;
using BenchmarkDotNet.Attributes;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Benchmarks;

/// <summary>
/// Time and allocations of one update check on a realistic app: 12 channels, 300 bundles, 20,000 device records
/// (overrides, pins, older plugins' self-assignments), a running rollout on the production channel limited to a
/// segment (so the segment match and the SHA-256 bucketing are in the figure), and a stream of devices in every
/// situation (offered, up to date, fenced, overridden, pinned, asking for a channel, in and out of the rollout).
/// <c>Decide</c> is the pure decision; <c>HandleJson</c> is the whole handler from request bytes to response bytes
/// (parse, validate, snapshot lookup, decide, build the CDN URL, serialise).
/// </summary>
[MemoryDiagnoser]
public class UpdateCheckBenchmarks
{
    private const int Devices = 1024;
    private AppSnapshot _app = null!;
    private DeviceInfo[] _devices = null!;
    private byte[][] _bodies = null!;
    private UpdateDecider _decider = null!;
    private UpdateCheckHandler _handler = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var bundles = Enumerable.Range(0, 300)
            .Select(i => new BundleDefinition($"{1 + i / 100}.{i / 10 % 10}.{i % 10}", $"com.bench.app/{i:x64}.zip", null, new string('a', 64), 1_000_000))
            .ToList();
        var channels = Enumerable.Range(0, 12)
            .Select(i => new ChannelDefinition(i == 0 ? "production" : $"channel-{i}", i + 1, bundles[250 + i].Version,
                AllowDeviceSelfSet: i % 2 == 1, DisableAutoUpdate: (AutoUpdatePolicy)(i % 4)))
            .ToList();
        var records = Enumerable.Range(0, 20_000)
            .Select(i => (i % 3) switch
            {
                0 => new DeviceRecord(DeviceId(i), OverrideChannel: channels[1 + i % 11].Name),
                1 => new DeviceRecord(DeviceId(i), PinnedBundle: bundles[i % 300].Version),
                _ => new DeviceRecord(DeviceId(i), SelfAssignedChannel: channels[1 + i % 11].Name),
            })
            .ToList();
        // Production rolls out to its next bundle for enterprise devices, at 25 %: every production check runs the
        // segment match, and every enterprise one the SHA-256 bucket.
        var enterprise = new SegmentDefinition("enterprise", SegmentMatch.All, [new CustomIdPrefixCondition("ent-")]);
        var draft = RolloutDefinition.CreateDraft("bench-rollout", "production", channels[0].Bundle!, bundles[251].Version, "bench-salt",
            DateTimeOffset.UnixEpoch, segments: ["enterprise"], steps: [25, 100]);
        var rollout = RolloutTransitions.Apply(draft, RolloutAction.Start, DateTimeOffset.UnixEpoch, "bench").Rollout!;
        _app = new AppSnapshot(new AppDefinition("com.bench.app", "Bench", "production"), channels, bundles, records, DateTimeOffset.UnixEpoch,
            [enterprise], [rollout]);

        _devices = new DeviceInfo[Devices];
        _bodies = new byte[Devices][];
        for (var i = 0; i < Devices; i++)
        {
            // A third of the devices have a server-side record; some ask for a channel, most run some bundle.
            var id = random.Next(3) == 0 ? DeviceId(random.Next(20_000)) : $"0c0ffee0-ffff-4000-8000-{i:D12}";
            var current = random.Next(4) == 0 ? "builtin" : bundles[random.Next(300)].Version;
            var native = $"{1 + random.Next(3)}.{random.Next(10)}.0";
            var requested = random.Next(5) == 0 ? channels[random.Next(12)].Name : null;
            var customId = random.Next(2) == 0 ? $"ent-{i}" : "";
            _devices[i] = new DeviceInfo("com.bench.app", id, Platform.Android, current == "builtin" ? native : current, native,
                IsOnBuiltin: current == "builtin", DefaultChannel: requested, CustomId: customId.Length == 0 ? null : customId);
            _bodies[i] = Encoding.UTF8.GetBytes(
                $$"""{"platform":"android","device_id":"{{id}}","app_id":"com.bench.app","custom_id":"{{customId}}","version_build":"{{native}}","version_code":"1","version_os":"14","version_name":"{{current}}","plugin_version":"8.3.1","is_emulator":false,"is_prod":true{{(requested is null ? "" : $",\"defaultChannel\":\"{requested}\"")}}}""");
        }

        _decider = new UpdateDecider();
        _handler = new UpdateCheckHandler(new FixedSnapshotSource(_app), new OfferBodyCache(BenchServices.CdnUrls(), TimeProvider.System), _decider,
            BenchServices.CountingLimiter());
    }

    private static string DeviceId(int i) => $"0c0ffee0-0000-4000-8000-{i:D12}";

    [Benchmark]
    public UpdateDecision Decide() => _decider.Decide(_app, _devices[_next++ & (Devices - 1)]);

    [Benchmark]
    public async Task<DeviceResponse> HandleJson() => await _handler.HandleAsync(_bodies[_next++ & (Devices - 1)], CancellationToken.None);
}
