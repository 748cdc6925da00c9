using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Updates;
using UpdateFunctions.Storage;
using UpdateFunctions.Storage.Blobs;

namespace UpdateFunctions.Benchmarks;

/// <summary>
/// Partial updates on the hot path: a channel with partial updates serving a bundle of 500 files, with signed
/// (account-key SAS) download URLs. <c>WarmOffer*</c> is an update check answered from the cached body (what every
/// check but the first of a signing period costs); <c>ColdOfferSigned</c> is the first check of a period on a new
/// instance: 501 URLs signed and the answer serialised. <c>ZipOnlyOffer</c> is the same check without a manifest.
/// No storage is called: signing with an account key is local.
/// </summary>
[MemoryDiagnoser]
public class PartialUpdateBenchmarks
{
    private const int Files = 500;
    private byte[] _partialRequest = null!;
    private byte[] _zipRequest = null!;
    private UpdateCheckHandler _signed = null!;
    private UpdateCheckHandler _unsigned = null!;
    private UpdateOffer _offer = null!;
    private BlobServiceClient _service = null!;

    [GlobalSetup]
    public void Setup()
    {
        var manifest = new BundleManifest(Enumerable.Range(0, Files)
            .Select(i => new ManifestFile($"assets/chunk-{i:D4}.js", Convert.ToHexStringLower(BitConverter.GetBytes(i).Concat(new byte[28]).ToArray()), 20_000, true, 5_000)));
        var info = new BundleManifestInfo("com.bench.app/manifests/m.json", Files, manifest.Size, manifest.StoredSize);
        var bundle = new BundleDefinition("2.0.0", "com.bench.app/" + new string('a', 64) + ".zip", null, new string('a', 64), 10_000_000, Manifest: info);
        var app = new AppSnapshot(new AppDefinition("com.bench.app", "Bench", "production"),
            [
                new ChannelDefinition("production", 1, "2.0.0", DisableAutoUpdate: AutoUpdatePolicy.None),
                new ChannelDefinition("partial", 2, "2.0.0", AllowDeviceSelfSet: true, DisableAutoUpdate: AutoUpdatePolicy.None, PartialUpdates: true),
            ],
            [bundle], [], DateTimeOffset.UnixEpoch).WithManifests(new Dictionary<string, BundleManifest> { ["2.0.0"] = manifest });

        _service = new BlobServiceClient("UseDevelopmentStorage=true");
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(int.MaxValue, int.MaxValue), TimeProvider.System);
        _signed = new UpdateCheckHandler(new FixedSnapshotSource(app), new OfferBodyCache(Urls(signed: true), TimeProvider.System), new UpdateDecider(), limiter);
        _unsigned = new UpdateCheckHandler(new FixedSnapshotSource(app), new OfferBodyCache(Urls(signed: false), TimeProvider.System), new UpdateDecider(), limiter);
        _partialRequest = Request("partial");
        _zipRequest = Request(null);
        _offer = Assert(new UpdateDecider().Decide(app, new DeviceInfo("com.bench.app", "d", Platform.Android, "1.0.0", "1.0.0",
            PluginVersion: "8.3.1", DefaultChannel: "partial")));
    }

    private static UpdateOffer Assert(UpdateDecision decision) =>
        decision as UpdateOffer is { Manifest: not null } offer ? offer : throw new InvalidOperationException($"Not a partial offer: {decision}");

    private BlobDownloadUrls Urls(bool signed) => new(_service,
        Options.Create(new StorageOptions
        {
            BundleBaseUrl = signed ? null : new Uri("https://cdn.example/bundles"),
            SignedUrls = new SignedUrlOptions { Enabled = signed },
        }),
        TimeProvider.System, NullLogger<BlobDownloadUrls>.Instance);

    private static byte[] Request(string? channel) => Encoding.UTF8.GetBytes(
        $$"""{"platform":"android","device_id":"0c0ffee0-ffff-4000-8000-000000000001","app_id":"com.bench.app","version_build":"1.0.0","version_name":"1.0.0","plugin_version":"8.3.1","is_emulator":false,"is_prod":true{{(channel is null ? "" : $",\"defaultChannel\":\"{channel}\"")}}}""");

    [Benchmark(Baseline = true)]
    public async Task<DeviceResponse> ZipOnlyOffer() => await _signed.HandleAsync(_zipRequest, CancellationToken.None);

    [Benchmark]
    public async Task<DeviceResponse> WarmOfferSigned() => await _signed.HandleAsync(_partialRequest, CancellationToken.None);

    [Benchmark]
    public async Task<DeviceResponse> WarmOfferCdn() => await _unsigned.HandleAsync(_partialRequest, CancellationToken.None);

    [Benchmark]
    public async Task<byte[]> ColdOfferSigned() =>
        await new OfferBodyCache(Urls(signed: true), TimeProvider.System).GetAsync("com.bench.app", _offer, CancellationToken.None);
}

/// <summary>
/// The commit-time cost of a manifest: brotli at the qualities the builder uses, on script-like text (1 MiB and
/// 3 MiB, either side of the 1 MiB quality switch). Tells how long a commit of new files takes.
/// </summary>
[MemoryDiagnoser]
public class ManifestCompressionBenchmarks
{
    private byte[] _oneMiB = null!;
    private byte[] _threeMiB = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var text = new StringBuilder();
        while (text.Length < 3 * 1024 * 1024)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"export function f{random.Next(100_000)}(a, b) {{ return a * {random.Next(1000)} + b.map(x => x.id{random.Next(50)}); }}\n");
        _threeMiB = Encoding.UTF8.GetBytes(text.ToString())[..(3 * 1024 * 1024)];
        _oneMiB = _threeMiB[..(1024 * 1024)];
    }

    [Benchmark]
    public int Quality11OneMiB() => Compress(_oneMiB, 11);

    [Benchmark]
    public int Quality9ThreeMiB() => Compress(_threeMiB, 9);

    [Benchmark]
    public int Quality11ThreeMiB() => Compress(_threeMiB, 11);

    private static int Compress(byte[] content, int quality)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(content.Length)];
        return BrotliEncoder.TryCompress(content, buffer, out var written, quality, 22) ? written : -1;
    }
}
