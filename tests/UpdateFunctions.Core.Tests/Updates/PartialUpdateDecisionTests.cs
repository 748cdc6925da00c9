using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Updates;
using static UpdateFunctions.Core.Tests.Updates.SnapshotBuilder;

namespace UpdateFunctions.Core.Tests.Updates;

/// <summary>When an offer carries the bundle's manifest (partial updates), and why not otherwise.</summary>
public sealed class PartialUpdateDecisionTests
{
    private static readonly BundleManifestInfo Info = new("com.demo.app/manifests/x.json", 1, 10, 10);
    private static readonly BundleManifest Manifest = new([new ManifestFile("index.html", new string('b', 64), 10, false, 10)]);
    private readonly UpdateDecider _decider = new();

    private static AppSnapshot App(bool partialUpdates, BundleDefinition? bundle = null, bool loaded = true)
    {
        bundle ??= new BundleDefinition("1.1.0", "com.demo.app/1.zip", null, new string('a', 64), 100, Manifest: Info);
        var app = new AppSnapshot(new AppDefinition("com.demo.app", "Demo", "production"),
            [new ChannelDefinition("production", 1, bundle.Version, DisableAutoUpdate: AutoUpdatePolicy.None, PartialUpdates: partialUpdates)],
            [bundle], [], DateTimeOffset.UnixEpoch);
        return loaded ? app.WithManifests(new Dictionary<string, BundleManifest> { [bundle.Version] = Manifest }) : app;
    }

    private UpdateOffer Offer(AppSnapshot app, string? pluginVersion = CurrentPlugin) =>
        Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(pluginVersion: pluginVersion)));

    [Fact]
    public void The_offer_carries_the_manifest_when_the_channel_enables_partial_updates()
    {
        var offer = Offer(App(partialUpdates: true));

        Assert.Same(Manifest, offer.Manifest);
        Assert.Equal(ManifestDelivery.Included, offer.Delivery);
    }

    [Fact]
    public void The_offer_is_the_zip_alone_when_the_channel_does_not_enable_partial_updates()
    {
        var offer = Offer(App(partialUpdates: false));

        Assert.Null(offer.Manifest);
        Assert.Equal(ManifestDelivery.ChannelOff, offer.Delivery);
    }

    [Fact]
    public void An_encrypted_bundle_is_offered_as_a_zip_even_on_a_partial_channel()
    {
        var encrypted = new BundleDefinition("1.1.0", "com.demo.app/1.zip", null, "rsa", 100, SessionKey: "aXY=:a2V5",
            ManifestUnavailable: ManifestUnavailableReasons.EncryptedBundle);

        var offer = Offer(App(partialUpdates: true, encrypted, loaded: false));

        Assert.Null(offer.Manifest);
        Assert.Equal(ManifestDelivery.Unavailable, offer.Delivery);
    }

    [Fact]
    public void A_bundle_committed_before_manifests_existed_is_offered_as_a_zip()
    {
        var legacy = new BundleDefinition("1.1.0", "com.demo.app/1.zip", null, new string('a', 64), 100);

        var offer = Offer(App(partialUpdates: true, legacy, loaded: false));

        Assert.Null(offer.Manifest);
        Assert.Equal(ManifestDelivery.NotBuilt, offer.Delivery);
    }

    [Theory]
    [InlineData("6.24.0")]
    [InlineData("4.0.0")]
    [InlineData(null)]
    public void A_plugin_that_cannot_take_brotli_manifests_gets_the_zip(string? pluginVersion)
    {
        var offer = Offer(App(partialUpdates: true), pluginVersion);

        Assert.Null(offer.Manifest);
        Assert.Equal(ManifestDelivery.PluginTooOld, offer.Delivery);
    }

    [Fact]
    public void A_manifest_that_could_not_be_loaded_falls_back_to_the_zip()
    {
        var offer = Offer(App(partialUpdates: true, loaded: false));

        Assert.Null(offer.Manifest);
        Assert.Equal(ManifestDelivery.NotLoaded, offer.Delivery);
    }

    [Fact]
    public void Manifests_to_load_are_those_of_partial_channels_their_rollouts_and_pinned_bundles()
    {
        BundleDefinition Bundle(string version, bool manifest = true) =>
            new(version, $"com.demo.app/{version}.zip", null, new string('a', 64), 1, Manifest: manifest ? Info with { BlobPath = version } : null);
        var rollout = new RolloutDefinition("r1", "beta", "1.1.0", "1.2.0", [], RolloutDefinition.DefaultSteps, 0, 1, RolloutState.Running,
            "salt", RolloutGates.Default, new Dictionary<string, MaintenanceWindow>(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, []);
        var app = new AppSnapshot(new AppDefinition("com.demo.app", "Demo", "production"),
            [
                new ChannelDefinition("production", 1, "1.0.0"),
                new ChannelDefinition("beta", 2, "1.1.0", PartialUpdates: true),
                new ChannelDefinition("next", 3, "2.0.0", PartialUpdates: true),
            ],
            [Bundle("1.0.0"), Bundle("1.1.0"), Bundle("1.2.0"), Bundle("2.0.0", manifest: false), Bundle("0.9.0"), Bundle("0.8.0")],
            [new DeviceRecord("d1", PinnedBundle: "0.9.0")],
            DateTimeOffset.UnixEpoch, rollouts: [rollout]);

        Assert.Equal(["0.9.0", "1.1.0", "1.2.0"], app.ManifestsToLoad().Select(b => b.Version).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void With_no_partial_channel_no_manifest_is_loaded_even_for_pinned_bundles()
    {
        var app = new AppSnapshot(new AppDefinition("com.demo.app", "Demo", "production"),
            [new ChannelDefinition("production", 1, "1.0.0")],
            [new BundleDefinition("1.0.0", "p", null, new string('a', 64), 1, Manifest: Info)],
            [new DeviceRecord("d1", PinnedBundle: "1.0.0")], DateTimeOffset.UnixEpoch);

        Assert.Empty(app.ManifestsToLoad());
    }
}
