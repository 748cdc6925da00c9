using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Tests.Devices;

public sealed class OfferBodyCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingUrls _urls;
    private readonly OfferBodyCache _cache;
    private readonly BundleDefinition _bundle = new("1.2.0", "com.demo.app/zip.zip", null, new string('a', 64), 100, Link: "https://x/notes");
    private readonly BundleManifest _manifest = new([
        new ManifestFile("index.html", new string('1', 64), 10, false, 10),
        new ManifestFile("js/app.js", new string('2', 64), 1000, true, 200),
    ]);

    public OfferBodyCacheTests()
    {
        _urls = new CountingUrls(_clock);
        _cache = new OfferBodyCache(_urls, _clock);
    }

    private static CancellationToken Ct => CancellationToken.None;

    private UpdateOffer Offer(BundleManifest? manifest) =>
        new(_bundle, "production", ChannelSource.PublicDefault, manifest, manifest is null ? ManifestDelivery.ChannelOff : ManifestDelivery.Included);

    [Fact]
    public async Task The_offer_lists_each_manifest_file_with_its_name_hash_and_download_url()
    {
        var body = JsonNode.Parse(await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct))!;

        Assert.Equal("1.2.0", (string?)body["version"]);
        Assert.Equal("https://signed.example/p0/com.demo.app/zip.zip", (string?)body["url"]);
        Assert.Equal(new string('a', 64), (string?)body["checksum"]);
        Assert.Equal("", (string?)body["session_key"]);
        Assert.Equal("https://x/notes", (string?)body["link"]);
        var entries = body["manifest"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal("index.html", (string?)entries[0]!["file_name"]);
        Assert.Equal(new string('1', 64), (string?)entries[0]!["file_hash"]);
        Assert.Equal("https://signed.example/p0/com.demo.app/files/" + new string('1', 64), (string?)entries[0]!["download_url"]);
        Assert.Equal("js/app.js.br", (string?)entries[1]!["file_name"]);
        Assert.Equal("https://signed.example/p0/com.demo.app/files/" + new string('2', 64) + ".br", (string?)entries[1]!["download_url"]);
    }

    [Fact]
    public async Task A_zip_only_offer_has_no_manifest_key()
    {
        var body = JsonNode.Parse(await _cache.GetAsync("com.demo.app", Offer(null), Ct))!.AsObject();

        Assert.False(body.ContainsKey("manifest"));
        Assert.Equal(["version", "url", "checksum", "session_key", "link"], body.Select(p => p.Key));
    }

    [Fact]
    public async Task A_warm_offer_is_the_same_bytes_and_signs_nothing()
    {
        var first = await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct);
        var signed = _urls.Signed;

        for (var i = 0; i < 100; i++)
            Assert.Same(first, await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct));

        Assert.Equal(3, signed);
        Assert.Equal(signed, _urls.Signed);
    }

    [Fact]
    public async Task The_zip_only_and_the_partial_bodies_of_one_bundle_are_kept_apart()
    {
        var partial = await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct);
        var zip = await _cache.GetAsync("com.demo.app", Offer(null), Ct);

        Assert.NotSame(partial, zip);
        Assert.Same(partial, await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct));
        Assert.Same(zip, await _cache.GetAsync("com.demo.app", Offer(null), Ct));
    }

    [Fact]
    public async Task Bodies_are_rebuilt_with_new_urls_once_their_signer_is_due_for_renewal()
    {
        var first = await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct);

        _clock.Advance(CountingUrls.Period - TimeSpan.FromSeconds(1));
        Assert.Same(first, await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = JsonNode.Parse(await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct))!;
        Assert.StartsWith("https://signed.example/p1/", (string?)renewed["url"], StringComparison.Ordinal);
        Assert.StartsWith("https://signed.example/p1/", (string?)renewed["manifest"]![0]!["download_url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_snapshot_reuses_the_signed_manifest_entries_of_the_same_manifest()
    {
        await _cache.GetAsync("com.demo.app", Offer(_manifest), Ct);
        var signed = _urls.Signed;

        // A refreshed snapshot holds an equal but new bundle record, and the same (cached) manifest.
        var refreshed = new UpdateOffer(_bundle with { }, "production", ChannelSource.PublicDefault, _manifest, ManifestDelivery.Included);
        await _cache.GetAsync("com.demo.app", refreshed, Ct);

        Assert.Equal(signed + 1, _urls.Signed);
    }

    [Fact]
    public async Task An_external_bundle_keeps_its_own_url()
    {
        var external = new UpdateOffer(new BundleDefinition("1.0.0", null, "https://elsewhere.example/b.zip", new string('a', 64), 0),
            "production", ChannelSource.PublicDefault);

        var body = JsonNode.Parse(await _cache.GetAsync("com.demo.app", external, Ct))!;

        Assert.Equal("https://elsewhere.example/b.zip", (string?)body["url"]);
        Assert.Equal(0, _urls.Signed);
    }

    /// <summary>Signed-looking URLs whose period is in the URL, counting every signature.</summary>
    private sealed class CountingUrls(TimeProvider clock) : IDownloadUrlSource
    {
        public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);
        private readonly DateTimeOffset _origin = clock.GetUtcNow();
        private Signer? _current;

        public int Signed;

        public ValueTask<DownloadUrlSigner> GetSignerAsync(CancellationToken cancellationToken)
        {
            var period = (int)((clock.GetUtcNow() - _origin) / Period);
            if (_current is null || _current.Index != period)
                _current = new Signer(this, period, _origin + Period * (period + 1));
            return ValueTask.FromResult<DownloadUrlSigner>(_current);
        }

        private sealed class Signer(CountingUrls owner, int index, DateTimeOffset renewAfter) : DownloadUrlSigner
        {
            public int Index => index;

            public override DateTimeOffset RenewAfter => renewAfter;

            public override string GetUrl(string blobPath)
            {
                Interlocked.Increment(ref owner.Signed);
                return $"https://signed.example/p{index}/{blobPath}";
            }
        }
    }
}
