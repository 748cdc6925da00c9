using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Updates;
using static UpdateFunctions.Core.Tests.Updates.SnapshotBuilder;

namespace UpdateFunctions.Core.Tests.Updates;

/// <summary>docs/protocol.md "The decision, in order", steps 2–8: every rule and every error code, with its reason.</summary>
public sealed class UpdateDeciderTests
{
    private readonly UpdateDecider _decider = new();

    private static SnapshotBuilder ProductionOn(string version, Func<ChannelDefinition, ChannelDefinition>? configure = null) =>
        new SnapshotBuilder().Channel("production", version, configure).Bundle(version);

    /// <summary>A private channel only an admin override reaches, next to a public production channel on 1.0.0.</summary>
    private static SnapshotBuilder PilotOverride(string version, Func<ChannelDefinition, ChannelDefinition>? configure = null) =>
        ProductionOn("1.0.0").Channel("pilot", version, configure).Bundle(version)
            .Device(new DeviceRecord("device-1", OverrideChannel: "pilot"));

    private static Func<ChannelDefinition, ChannelDefinition> Policy(AutoUpdatePolicy policy, bool underNative = true) =>
        c => c with { DisableAutoUpdate = policy, DisableAutoUpdateUnderNative = underNative };

    private static UpdateOffer AssertOffer(UpdateDecision decision, string version, string channel, ChannelSource source)
    {
        var offer = Assert.IsType<UpdateOffer>(decision);
        Assert.Equal(version, offer.Bundle.Version);
        Assert.Equal(channel, offer.Channel);
        Assert.Equal(source, offer.Source);
        return offer;
    }

    private static UpdateRefusal AssertRefusal(
        UpdateDecision decision, string code, RefusalKind kind, string? channel, ChannelSource source,
        string? version = null, string? old = null, bool major = false, string? deviceKeyId = null, string? bundleKeyId = null)
    {
        var refusal = Assert.IsType<UpdateRefusal>(decision);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(UpdateErrors.MessageFor(code), refusal.Message);
        Assert.Equal(kind, refusal.Kind);
        Assert.Equal(channel, refusal.Channel);
        Assert.Equal(source, refusal.Source);
        Assert.Equal(version, refusal.Version);
        Assert.Equal(old, refusal.Old);
        Assert.Equal(major, refusal.Major);
        Assert.Equal(deviceKeyId, refusal.DeviceKeyId);
        Assert.Equal(bundleKeyId, refusal.BundleKeyId);
        return refusal;
    }

    // ---- step 2: channel ----

    [Fact]
    public void Decide_offers_the_public_default_channel_bundle_when_nothing_else_applies()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo()), "1.1.0", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_follows_an_admin_override_to_a_private_channel()
    {
        var app = PilotOverride("1.2.0").Build();

        AssertOffer(_decider.Decide(app, DeviceInfo()), "1.2.0", "pilot", ChannelSource.AdminOverride);
    }

    [Fact]
    public void Decide_prefers_an_admin_override_to_a_requested_channel_and_a_self_assignment()
    {
        var app = ProductionOn("1.1.0")
            .Channel("pilot", "1.2.0").Bundle("1.2.0")
            .Channel("beta", "1.3.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.3.0")
            .Device(new DeviceRecord("device-1", OverrideChannel: "pilot", SelfAssignedChannel: "beta")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(defaultChannel: "beta", pluginVersion: "6.10.0")), "1.2.0", "pilot", ChannelSource.AdminOverride);
    }

    [Fact]
    public void Decide_ignores_an_admin_override_to_a_channel_that_no_longer_exists()
    {
        var app = ProductionOn("1.1.0").Device(new DeviceRecord("device-1", OverrideChannel: "deleted")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo()), "1.1.0", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_uses_the_requested_channel_when_it_allows_self_assignment()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0").Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(defaultChannel: "beta")), "1.2.0", "beta", ChannelSource.RequestedDefaultChannel);
    }

    [Fact]
    public void Decide_uses_the_requested_channel_when_it_is_the_public_default()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(defaultChannel: "production")),
            "1.1.0", "production", ChannelSource.RequestedDefaultChannel);
    }

    [Fact]
    public void Decide_gives_no_channel_without_fallback_when_the_requested_channel_is_private()
    {
        var app = ProductionOn("1.1.0").Channel("internal", "1.2.0").Bundle("1.2.0").Build();

        // No version, no channel name: a private channel's existence is not revealed.
        AssertRefusal(_decider.Decide(app, DeviceInfo(defaultChannel: "internal")), UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
        Assert.Equal("no default channel or override", UpdateErrors.MessageFor(UpdateErrors.NoChannel));
    }

    [Fact]
    public void Decide_gives_no_channel_without_fallback_when_the_requested_channel_does_not_exist()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(defaultChannel: "gone")),
            UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
    }

    [Theory]
    [InlineData(Platform.Ios)]
    [InlineData(Platform.Android)]
    [InlineData(Platform.Electron)]
    public void Decide_gives_no_channel_without_fallback_when_the_requested_channel_is_off_for_the_platform(Platform platform)
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with
        {
            AllowDeviceSelfSet = true,
            Ios = platform != Platform.Ios,
            Android = platform != Platform.Android,
            Electron = platform != Platform.Electron,
        }).Bundle("1.2.0").Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(platform: platform, defaultChannel: "beta")),
            UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_requested_public_default_is_off_for_the_platform()
    {
        var app = ProductionOn("1.1.0", c => c with { Ios = false }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(platform: Platform.Ios, defaultChannel: "production")),
            UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
    }

    [Fact]
    public void Decide_uses_an_older_plugins_server_side_self_assignment_when_no_channel_is_requested()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(pluginVersion: "5.20.0")), "1.2.0", "beta", ChannelSource.SelfAssigned);
    }

    [Fact]
    public void Decide_uses_a_server_side_self_assignment_when_a_current_plugin_requests_no_channel()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo()), "1.2.0", "beta", ChannelSource.SelfAssigned);
    }

    [Fact]
    public void Decide_prefers_the_channel_a_current_plugin_requests_to_its_server_side_self_assignment()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(defaultChannel: "production")), "1.1.0", "production", ChannelSource.RequestedDefaultChannel);
    }

    [Theory]
    [InlineData("4.9.0")]
    [InlineData("5.33.9")]
    [InlineData("6.10.0")]
    [InlineData("7.33.0")]
    public void Decide_prefers_a_legacy_plugins_server_side_self_assignment_to_its_configured_default_channel(string pluginVersion)
    {
        // Plugins before x.34.0 keep sending the defaultChannel of their config after channel_self succeeded.
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(defaultChannel: "production", pluginVersion: pluginVersion)),
            "1.2.0", "beta", ChannelSource.SelfAssigned);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_public_default_is_off_for_the_platform()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0", c => c with { Electron = false }).Build(), DeviceInfo(platform: Platform.Electron)),
            UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_app_has_no_default_channel()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0").DefaultChannel(null).Build(), DeviceInfo()),
            UpdateErrors.NoChannel, RefusalKind.Failed, null, ChannelSource.None);
    }

    // ---- step 3: target bundle ----

    [Fact]
    public void Decide_offers_a_pinned_bundle_over_the_channel_bundle_even_when_older()
    {
        var app = ProductionOn("1.1.0").Bundle("1.0.5").Device(new DeviceRecord("device-1", PinnedBundle: "1.0.5")).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")), "1.0.5", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_refuses_with_no_bundle_when_the_channel_has_none()
    {
        var app = new SnapshotBuilder().Channel("production", null).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo()), UpdateErrors.NoBundle, RefusalKind.Failed, "production", ChannelSource.PublicDefault);
        Assert.Equal("Cannot get bundle", UpdateErrors.MessageFor(UpdateErrors.NoBundle));
    }

    [Fact]
    public void Decide_refuses_with_no_bundle_when_the_channel_names_a_missing_version()
    {
        var app = new SnapshotBuilder().Channel("production", "9.9.9").Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo()), UpdateErrors.NoBundle, RefusalKind.Failed, "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_refuses_with_no_bundle_when_the_pinned_version_is_missing()
    {
        var app = ProductionOn("1.1.0").Device(new DeviceRecord("device-1", OverrideChannel: "production", PinnedBundle: "9.9.9")).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo()), UpdateErrors.NoBundle, RefusalKind.Failed, "production", ChannelSource.AdminOverride);
    }

    [Fact]
    public void Decide_sends_a_device_pinned_to_builtin_back_to_its_binary()
    {
        var app = ProductionOn("1.1.0").Device(new DeviceRecord("device-1", PinnedBundle: "builtin")).Build();

        var offer = Assert.IsType<BuiltinOffer>(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")));

        Assert.Equal("production", offer.Channel);
        Assert.Equal(ChannelSource.PublicDefault, offer.Source);
    }

    // ---- step 4: encryption key ----

    [Fact]
    public void Decide_refuses_a_bundle_encrypted_for_another_key()
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: "bundlekey").Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(keyId: "devicekey")), UpdateErrors.KeyIdMismatch, RefusalKind.Blocked,
            "production", ChannelSource.PublicDefault, deviceKeyId: "devicekey", bundleKeyId: "bundlekey");
    }

    [Fact]
    public void Decide_checks_the_key_before_the_version()
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: "bundlekey").Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.1.0", keyId: "devicekey")), UpdateErrors.KeyIdMismatch, RefusalKind.Blocked,
            "production", ChannelSource.PublicDefault, deviceKeyId: "devicekey", bundleKeyId: "bundlekey");
    }

    [Theory]
    [InlineData(null, "bundlekey")]
    [InlineData("devicekey", null)]
    [InlineData(null, null)]
    [InlineData("samekey", "samekey")]
    public void Decide_offers_when_keys_agree_or_one_side_is_unknown(string? deviceKey, string? bundleKey)
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: bundleKey).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(keyId: deviceKey)), "1.1.0", "production", ChannelSource.PublicDefault);
    }

    [Theory]
    [InlineData("8.40.7")]
    [InlineData("7.30.0")]
    [InlineData(null)]
    public void Decide_does_not_compare_the_short_key_id_of_older_plugins(string? pluginVersion)
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: "abcdefghijklmnopqrst").Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(keyId: "abcd", pluginVersion: pluginVersion)), "1.1.0", "production", ChannelSource.PublicDefault);
    }

    // ---- step 5: versions ----

    [Fact]
    public void Decide_returns_no_update_when_device_is_on_latest()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(versionName: "1.1.0")),
            UpdateErrors.NoNewVersionAvailable, RefusalKind.UpToDate, "production", ChannelSource.PublicDefault);
        Assert.Equal("No new version available", UpdateErrors.MessageFor(UpdateErrors.NoNewVersionAvailable));
    }

    [Fact]
    public void Decide_returns_no_update_before_any_policy_check()
    {
        var app = PilotOverride("1.1.0", c => c with { Android = false, AllowProd = false }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")),
            UpdateErrors.NoNewVersionAvailable, RefusalKind.UpToDate, "pilot", ChannelSource.AdminOverride);
    }

    [Fact]
    public void Decide_offers_an_older_bundle_so_a_rollback_reaches_devices()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.0.1").Build(), DeviceInfo(versionName: "1.1.0")), "1.0.1", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_tells_a_device_on_builtin_whose_native_version_is_the_target_it_is_up_to_date()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0").Build(), OnBuiltin("1.1.0")),
            UpdateErrors.NoNewVersionAvailable, RefusalKind.UpToDate, "production", ChannelSource.PublicDefault);
    }

    // ---- step 6a: platforms ----

    [Theory]
    [InlineData(Platform.Ios, UpdateErrors.DisabledPlatformIos)]
    [InlineData(Platform.Android, UpdateErrors.DisabledPlatformAndroid)]
    [InlineData(Platform.Electron, UpdateErrors.DisabledPlatformElectron)]
    public void Decide_refuses_a_platform_the_overriding_channel_switched_off(Platform platform, string code)
    {
        // Only an admin override can reach a channel that is off for the platform.
        var app = PilotOverride("1.1.0", c => c with
        {
            Ios = platform != Platform.Ios,
            Android = platform != Platform.Android,
            Electron = platform != Platform.Electron,
        }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(platform: platform, versionName: "1.0.3")), code, RefusalKind.Blocked,
            "pilot", ChannelSource.AdminOverride, version: "1.1.0", old: "1.0.3");
    }

    [Fact]
    public void Decide_offers_on_the_platforms_the_overriding_channel_keeps_on()
    {
        var app = PilotOverride("1.1.0", c => c with { Ios = false, Electron = false }).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(platform: Platform.Android)), "1.1.0", "pilot", ChannelSource.AdminOverride);
    }

    [Fact]
    public void Decide_checks_the_platform_before_the_version_fences()
    {
        var app = PilotOverride("2.0.0", c => c with { Android = false }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo()), UpdateErrors.DisabledPlatformAndroid, RefusalKind.Blocked,
            "pilot", ChannelSource.AdminOverride, version: "2.0.0", old: "1.0.0");
    }

    [Fact]
    public void Decide_applies_the_platform_switch_to_a_builtin_target()
    {
        var app = ProductionOn("1.0.0").Channel("pilot", "builtin", c => c with { Ios = false })
            .Device(new DeviceRecord("device-1", OverrideChannel: "pilot")).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(platform: Platform.Ios, versionName: "1.0.3")), UpdateErrors.DisabledPlatformIos,
            RefusalKind.Blocked, "pilot", ChannelSource.AdminOverride, version: "builtin", old: "1.0.3");
    }

    // ---- step 6b: major ----

    [Fact]
    public void Decide_refuses_major_upgrade_when_channel_blocks_major()
    {
        var app = ProductionOn("2.0.0", Policy(AutoUpdatePolicy.Major)).Build();

        // As in Capgo, old is the native version the fence compared with, not the bundle the device runs.
        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.0.3", versionBuild: "1.0.0")), UpdateErrors.DisableAutoUpdateToMajor,
            RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "2.0.0", old: "1.0.0", major: true);
        Assert.Equal("Cannot upgrade major version", UpdateErrors.MessageFor(UpdateErrors.DisableAutoUpdateToMajor));
    }

    [Fact]
    public void Decide_compares_the_major_fence_with_the_native_version_not_the_current_bundle()
    {
        // The device already runs a 2.x bundle, but its binary is 1.x: still fenced.
        AssertRefusal(_decider.Decide(ProductionOn("2.1.0", Policy(AutoUpdatePolicy.Major)).Build(), DeviceInfo(versionName: "2.0.0", versionBuild: "1.9.0")),
            UpdateErrors.DisableAutoUpdateToMajor, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "2.1.0", old: "1.9.0", major: true);
    }

    [Fact]
    public void Decide_offers_the_next_major_to_a_device_whose_native_version_has_that_major()
    {
        AssertOffer(_decider.Decide(ProductionOn("2.1.0", Policy(AutoUpdatePolicy.Major)).Build(), DeviceInfo(versionName: "1.0.0", versionBuild: "2.0.0")),
            "2.1.0", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_allows_minor_upgrades_under_the_major_fence()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.5.0", Policy(AutoUpdatePolicy.Major)).Build(), DeviceInfo()),
            "1.5.0", "production", ChannelSource.PublicDefault);
    }

    // ---- step 6c: minor ----

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("2.0.0")]
    [InlineData("2.0.5")]
    public void Decide_refuses_a_target_outside_the_native_minor_when_channel_blocks_minor(string target)
    {
        AssertRefusal(_decider.Decide(ProductionOn(target, Policy(AutoUpdatePolicy.Minor)).Build(), DeviceInfo(versionName: "1.0.1", versionBuild: "1.0.0")),
            UpdateErrors.DisableAutoUpdateToMinor, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: target, old: "1.0.0", major: true);
    }

    [Fact]
    public void Decide_allows_patches_within_the_native_minor_when_channel_blocks_minor()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.0.7", Policy(AutoUpdatePolicy.Minor)).Build(), DeviceInfo(versionName: "1.0.1", versionBuild: "1.0.0")),
            "1.0.7", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_applies_the_minor_fence_before_the_under_native_fence()
    {
        AssertRefusal(_decider.Decide(ProductionOn("0.9.0", Policy(AutoUpdatePolicy.Minor)).Build(), DeviceInfo(versionName: "1.0.1", versionBuild: "1.0.0")),
            UpdateErrors.DisableAutoUpdateToMinor, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "0.9.0", old: "1.0.0", major: true);
    }

    // ---- step 6d: patch ----

    [Theory]
    [InlineData("1.0.1")]
    [InlineData("1.1.0")]
    [InlineData("2.0.0")]
    public void Decide_refuses_a_target_outside_the_native_version_when_channel_blocks_patch(string target)
    {
        AssertRefusal(_decider.Decide(ProductionOn(target, Policy(AutoUpdatePolicy.Patch, underNative: false)).Build(), DeviceInfo(versionName: "0.9.0", versionBuild: "1.0.0")),
            UpdateErrors.DisableAutoUpdateToPatch, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: target, old: "1.0.0", major: true);
    }

    [Theory]
    [InlineData("1.0.0-hotfix.1")]
    [InlineData("1.0.0+build.7")]
    public void Decide_allows_only_builds_of_the_native_version_when_channel_blocks_patch(string target)
    {
        AssertOffer(_decider.Decide(ProductionOn(target, Policy(AutoUpdatePolicy.Patch, underNative: false)).Build(), DeviceInfo(versionName: "0.9.0", versionBuild: "1.0.0")),
            target, "production", ChannelSource.PublicDefault);
    }

    // ---- step 6e: version_number ----

    [Fact]
    public void Decide_refuses_version_number_policy_without_a_minimum_as_misconfigured()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.1.0", Policy(AutoUpdatePolicy.VersionNumber)).Build(), DeviceInfo(versionName: "1.0.4", versionBuild: "1.0.0")),
            UpdateErrors.MisconfiguredChannel, RefusalKind.Failed, "production", ChannelSource.PublicDefault, version: "1.1.0", old: "1.0.0");
    }

    [Fact]
    public void Decide_refuses_a_bundle_whose_minimum_is_above_the_native_version()
    {
        var app = new SnapshotBuilder().Channel("production", "1.3.0", Policy(AutoUpdatePolicy.VersionNumber))
            .Bundle("1.3.0", minUpdateVersion: "1.2.0").Build();

        // The current bundle is above the minimum, but the native version is not: the native one decides.
        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.2.5", versionBuild: "1.1.0")), UpdateErrors.DisableAutoUpdateToMetadata,
            RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "1.3.0", old: "1.1.0", major: true);
    }

    [Theory]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("1.0.0", "1.2.9")]
    public void Decide_offers_a_bundle_whose_minimum_the_native_version_meets(string minUpdateVersion, string native)
    {
        var app = new SnapshotBuilder().Channel("production", "1.3.0", Policy(AutoUpdatePolicy.VersionNumber))
            .Bundle("1.3.0", minUpdateVersion: minUpdateVersion).Build();

        AssertOffer(_decider.Decide(app, DeviceInfo(versionBuild: native)), "1.3.0", "production", ChannelSource.PublicDefault);
    }

    // ---- step 6f: under native ----

    [Fact]
    public void Decide_refuses_a_bundle_under_the_native_version()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.0.1").Build(), DeviceInfo(versionName: "1.2.3", versionBuild: "1.2.0")),
            UpdateErrors.DisableAutoUpdateUnderNative, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "1.0.1", old: "1.2.3");
    }

    [Fact]
    public void Decide_counts_a_prerelease_of_the_native_version_as_under_it()
    {
        AssertRefusal(_decider.Decide(ProductionOn("1.2.0-rc.1").Build(), DeviceInfo(versionName: "1.1.0", versionBuild: "1.2.0")),
            UpdateErrors.DisableAutoUpdateUnderNative, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "1.2.0-rc.1", old: "1.1.0");
    }

    [Fact]
    public void Decide_offers_the_native_version_itself_under_the_under_native_fence()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.2.0").Build(), DeviceInfo(versionName: "1.2.1", versionBuild: "1.2.0")),
            "1.2.0", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_offers_under_native_when_the_channel_allows_it()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.0.1", Policy(AutoUpdatePolicy.Major, underNative: false)).Build(), DeviceInfo(versionName: "1.2.0", versionBuild: "1.2.0")),
            "1.0.1", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_offers_any_version_when_the_channel_has_no_fence()
    {
        AssertOffer(_decider.Decide(ProductionOn("3.0.0", Policy(AutoUpdatePolicy.None, underNative: false)).Build(), DeviceInfo()),
            "3.0.0", "production", ChannelSource.PublicDefault);
    }

    // ---- step 6g: build and device gates ----

    [Theory]
    [InlineData(false, true, UpdateErrors.DisableProdBuild)]
    [InlineData(false, false, UpdateErrors.DisableDevBuild)]
    [InlineData(false, true, UpdateErrors.DisableDevice)]
    [InlineData(true, true, UpdateErrors.DisableEmulator)]
    public void Decide_applies_the_build_and_device_gates(bool isEmulator, bool isProd, string code)
    {
        var app = ProductionOn("1.1.0", Gate(code)).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.0.2", isEmulator: isEmulator, isProd: isProd)), code, RefusalKind.Blocked,
            "production", ChannelSource.PublicDefault, version: "1.1.0", old: "1.0.2");
    }

    [Theory]
    [InlineData(false, false, UpdateErrors.DisableProdBuild)]
    [InlineData(false, true, UpdateErrors.DisableDevBuild)]
    [InlineData(true, true, UpdateErrors.DisableDevice)]
    [InlineData(false, true, UpdateErrors.DisableEmulator)]
    public void Decide_lets_other_builds_and_devices_through_a_gate(bool isEmulator, bool isProd, string code)
    {
        AssertOffer(_decider.Decide(ProductionOn("1.1.0", Gate(code)).Build(), DeviceInfo(isEmulator: isEmulator, isProd: isProd)),
            "1.1.0", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_checks_the_build_gate_before_the_device_gate()
    {
        var app = ProductionOn("1.1.0", c => c with { AllowDev = false, AllowEmulator = false }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(isEmulator: true, isProd: false)), UpdateErrors.DisableDevBuild, RefusalKind.Blocked,
            "production", ChannelSource.PublicDefault, version: "1.1.0", old: "1.0.0");
    }

    [Fact]
    public void Decide_checks_version_fences_before_build_gates()
    {
        AssertRefusal(_decider.Decide(ProductionOn("2.0.0", c => c with { AllowProd = false }).Build(), DeviceInfo()),
            UpdateErrors.DisableAutoUpdateToMajor, RefusalKind.Blocked, "production", ChannelSource.PublicDefault, version: "2.0.0", old: "1.0.0", major: true);
    }

    [Fact]
    public void Decide_still_applies_build_gates_to_a_builtin_target()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin", c => c with { AllowEmulator = false }).Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.0.2", isEmulator: true)), UpdateErrors.DisableEmulator, RefusalKind.Blocked,
            "production", ChannelSource.PublicDefault, version: "builtin", old: "1.0.2");
    }

    private static Func<ChannelDefinition, ChannelDefinition> Gate(string code) => code switch
    {
        UpdateErrors.DisableProdBuild => c => c with { AllowProd = false },
        UpdateErrors.DisableDevBuild => c => c with { AllowDev = false },
        UpdateErrors.DisableDevice => c => c with { AllowDevice = false },
        _ => c => c with { AllowEmulator = false },
    };

    // ---- step 7: builtin ----

    [Fact]
    public void Decide_sends_devices_back_to_the_builtin_bundle()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin").Build();

        var offer = Assert.IsType<BuiltinOffer>(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")));

        Assert.Equal("production", offer.Channel);
        Assert.Equal(ChannelSource.PublicDefault, offer.Source);
    }

    [Theory]
    [InlineData(AutoUpdatePolicy.Major)]
    [InlineData(AutoUpdatePolicy.Minor)]
    [InlineData(AutoUpdatePolicy.Patch)]
    [InlineData(AutoUpdatePolicy.VersionNumber)]
    public void Decide_skips_the_version_fences_for_a_builtin_target(AutoUpdatePolicy policy)
    {
        // Under-native is on too: the binary's own bundle is never "under" it.
        var app = new SnapshotBuilder().Channel("production", "builtin", Policy(policy)).Build();

        Assert.IsType<BuiltinOffer>(_decider.Decide(app, DeviceInfo(versionName: "3.1.0", versionBuild: "2.0.0")));
    }

    [Fact]
    public void Decide_tells_a_device_already_on_builtin_it_is_up_to_date()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin").Build();

        AssertRefusal(_decider.Decide(app, OnBuiltin("1.0.0")), UpdateErrors.AlreadyOnBuiltin, RefusalKind.UpToDate, "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_refuses_a_builtin_reset_to_plugins_older_than_6_2()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin").Build();

        AssertRefusal(_decider.Decide(app, DeviceInfo(versionName: "1.0.2", pluginVersion: "6.1.9")),
            UpdateErrors.RevertToBuiltinPluginVersionTooOld, RefusalKind.Failed, "production", ChannelSource.PublicDefault);
    }

    [Theory]
    [InlineData("6.2.0")]
    [InlineData(null)]
    public void Decide_offers_a_builtin_reset_to_plugins_that_can_act_on_it(string? pluginVersion)
    {
        var app = new SnapshotBuilder().Channel("production", "builtin").Build();

        Assert.IsType<BuiltinOffer>(_decider.Decide(app, DeviceInfo(versionName: "1.0.2", pluginVersion: pluginVersion)));
    }

    // ---- step 8: offer ----

    [Fact]
    public void Decide_offers_a_bundle_to_a_device_on_builtin()
    {
        AssertOffer(_decider.Decide(ProductionOn("1.0.1").Build(), OnBuiltin("1.0.0")), "1.0.1", "production", ChannelSource.PublicDefault);
    }

    [Fact]
    public void Decide_offers_the_bundle_definition_itself()
    {
        var app = ProductionOn("1.1.0").Build();

        var offer = AssertOffer(_decider.Decide(app, DeviceInfo()), "1.1.0", "production", ChannelSource.PublicDefault);

        Assert.Same(app.FindBundle("1.1.0"), offer.Bundle);
    }

    // ---- channel_self helpers ----

    [Fact]
    public void ResolveChannel_returns_the_channel_and_its_source()
    {
        var app = ProductionOn("1.0.0").Channel("beta", "1.0.0", c => c with { AllowDeviceSelfSet = true })
            .Device(new DeviceRecord("device-2", OverrideChannel: "beta")).Build();

        Assert.Equal(new ChannelResolution(app.FindChannel("production"), ChannelSource.PublicDefault), _decider.ResolveChannel(app, DeviceInfo()));
        Assert.Equal(new ChannelResolution(app.FindChannel("beta"), ChannelSource.RequestedDefaultChannel), _decider.ResolveChannel(app, DeviceInfo(defaultChannel: "beta")));
        Assert.Equal(new ChannelResolution(app.FindChannel("beta"), ChannelSource.AdminOverride), _decider.ResolveChannel(app, DeviceInfo(deviceId: "device-2")));
    }

    [Fact]
    public void ResolveChannel_returns_nothing_for_a_requested_private_channel()
    {
        var app = ProductionOn("1.0.0").Channel("internal", "1.0.0").Build();

        Assert.Equal(new ChannelResolution(null, ChannelSource.None), _decider.ResolveChannel(app, DeviceInfo(defaultChannel: "internal")));
    }

    [Fact]
    public void ListSelfAssignable_keeps_public_and_self_assignable_channels_open_to_the_device_in_id_order()
    {
        var app = new SnapshotBuilder()
            .Channel("zeta", "1.0.0", c => c with { Id = 2, AllowDeviceSelfSet = true })
            .Channel("production", "1.0.0", c => c with { Id = 9 })
            .Channel("alpha", "1.0.0", c => c with { Id = 5, AllowDeviceSelfSet = true })
            .Channel("internal", "1.0.0", c => c with { Id = 1 })
            .Channel("ios-beta", "1.0.0", c => c with { Id = 3, AllowDeviceSelfSet = true, Android = false })
            .Channel("dev-beta", "1.0.0", c => c with { Id = 4, AllowDeviceSelfSet = true, AllowProd = false })
            .Channel("emulator-beta", "1.0.0", c => c with { Id = 6, AllowDeviceSelfSet = true, AllowDevice = false })
            .Build();

        var names = _decider.ListSelfAssignable(app, Platform.Android, isEmulator: false, isProd: true).Select(c => c.Name);

        Assert.Equal(["zeta", "alpha", "production"], names);
    }

    [Fact]
    public void ListSelfAssignable_applies_the_device_class_and_build_type()
    {
        var app = new SnapshotBuilder()
            .Channel("production", "1.0.0", c => c with { AllowEmulator = false })
            .Channel("dev-beta", "1.0.0", c => c with { AllowDeviceSelfSet = true, AllowProd = false })
            .Build();

        var names = _decider.ListSelfAssignable(app, Platform.Ios, isEmulator: true, isProd: false).Select(c => c.Name);

        Assert.Equal(["dev-beta"], names);
    }

    [Fact]
    public void ListSelfAssignable_is_empty_when_no_channel_is_open_to_the_device()
    {
        var app = new SnapshotBuilder().Channel("internal", "1.0.0").Channel("production", "1.0.0", c => c with { Electron = false }).Build();

        Assert.Empty(_decider.ListSelfAssignable(app, Platform.Electron, isEmulator: false, isProd: true));
    }
}
