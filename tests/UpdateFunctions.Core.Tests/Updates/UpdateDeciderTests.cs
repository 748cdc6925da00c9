using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Updates;
using static UpdateFunctions.Core.Tests.Updates.SnapshotBuilder;

namespace UpdateFunctions.Core.Tests.Updates;

public sealed class UpdateDeciderTests
{
    private readonly UpdateDecider _decider = new();

    private static SnapshotBuilder ProductionOn(string version, Func<ChannelDefinition, ChannelDefinition>? configure = null) =>
        new SnapshotBuilder().Channel("production", version, configure).Bundle(version);

    private static UpdateRefusal Refusal(UpdateDecision decision) => Assert.IsType<UpdateRefusal>(decision);

    // ---- step 2: channel resolution ----

    [Fact]
    public void Decide_offers_the_public_default_channel_bundle()
    {
        var decision = _decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo());

        var offer = Assert.IsType<UpdateOffer>(decision);
        Assert.Equal("1.1.0", offer.Bundle.Version);
        Assert.Equal("production", offer.Channel);
        Assert.Equal(ChannelSource.PublicDefault, offer.Source);
    }

    [Fact]
    public void Decide_follows_an_admin_override_even_to_a_private_channel()
    {
        var app = ProductionOn("1.1.0").Channel("secret", "1.2.0").Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", OverrideChannel: "secret")).Build();

        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(defaultChannel: "production")));

        Assert.Equal("1.2.0", offer.Bundle.Version);
        Assert.Equal(ChannelSource.AdminOverride, offer.Source);
    }

    [Fact]
    public void Decide_uses_the_requested_channel_when_it_allows_self_assignment()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0").Build();

        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(defaultChannel: "beta")));

        Assert.Equal("beta", offer.Channel);
        Assert.Equal(ChannelSource.RequestedDefaultChannel, offer.Source);
    }

    [Fact]
    public void Decide_uses_the_requested_channel_when_it_is_the_public_one()
    {
        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(defaultChannel: "production")));

        Assert.Equal(ChannelSource.RequestedDefaultChannel, offer.Source);
    }

    [Fact]
    public void Decide_gives_no_channel_without_fallback_when_the_requested_channel_is_private()
    {
        var app = ProductionOn("1.1.0").Channel("internal", "1.2.0").Bundle("1.2.0").Build();

        var refusal = Refusal(_decider.Decide(app, DeviceInfo(defaultChannel: "internal")));

        Assert.Equal(UpdateErrors.NoChannel, refusal.Code);
        Assert.Equal(RefusalKind.Failed, refusal.Kind);
        Assert.Equal("no default channel or override", refusal.Message);
        Assert.Null(refusal.Version);
        Assert.Null(refusal.Channel);
        Assert.Equal(ChannelSource.None, refusal.Source);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_requested_channel_does_not_exist()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(defaultChannel: "gone")));

        Assert.Equal(UpdateErrors.NoChannel, refusal.Code);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_requested_channel_is_off_for_the_platform()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true, Ios = false }).Bundle("1.2.0").Build();

        var refusal = Refusal(_decider.Decide(app, DeviceInfo(platform: Platform.Ios, defaultChannel: "beta")));

        Assert.Equal(UpdateErrors.NoChannel, refusal.Code);
    }

    [Fact]
    public void Decide_uses_an_older_plugins_server_side_self_assignment_when_no_channel_is_requested()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo()));

        Assert.Equal("beta", offer.Channel);
        Assert.Equal(ChannelSource.SelfAssigned, offer.Source);
    }

    [Fact]
    public void Decide_prefers_the_requested_channel_over_a_server_side_self_assignment()
    {
        var app = ProductionOn("1.1.0").Channel("beta", "1.2.0", c => c with { AllowDeviceSelfSet = true }).Bundle("1.2.0")
            .Device(new DeviceRecord("device-1", SelfAssignedChannel: "beta")).Build();

        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(defaultChannel: "production")));

        Assert.Equal("production", offer.Channel);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_public_default_is_off_for_the_platform()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0", c => c with { Electron = false }).Build(), DeviceInfo(platform: Platform.Electron)));

        Assert.Equal(UpdateErrors.NoChannel, refusal.Code);
    }

    [Fact]
    public void Decide_gives_no_channel_when_the_app_has_no_default_channel()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0").DefaultChannel(null).Build(), DeviceInfo()));

        Assert.Equal(UpdateErrors.NoChannel, refusal.Code);
    }

    // ---- step 3: target bundle ----

    [Fact]
    public void Decide_offers_a_pinned_bundle_over_the_channel_bundle()
    {
        var app = ProductionOn("1.1.0").Bundle("1.0.5").Device(new DeviceRecord("device-1", PinnedBundle: "1.0.5")).Build();

        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")));

        Assert.Equal("1.0.5", offer.Bundle.Version);
    }

    [Fact]
    public void Decide_refuses_with_no_bundle_when_the_channel_has_none()
    {
        var app = new SnapshotBuilder().Channel("production", null).Build();

        var refusal = Refusal(_decider.Decide(app, DeviceInfo()));

        Assert.Equal(UpdateErrors.NoBundle, refusal.Code);
        Assert.Equal(RefusalKind.Failed, refusal.Kind);
        Assert.Equal("Cannot get bundle", refusal.Message);
        Assert.Equal("production", refusal.Channel);
    }

    [Fact]
    public void Decide_refuses_with_no_bundle_when_the_channel_names_a_missing_version()
    {
        var app = new SnapshotBuilder().Channel("production", "9.9.9").Build();

        Assert.Equal(UpdateErrors.NoBundle, Refusal(_decider.Decide(app, DeviceInfo())).Code);
    }

    // ---- step 4: encryption key ----

    [Fact]
    public void Decide_refuses_a_bundle_encrypted_for_another_key()
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: "bundlekey").Build();

        var refusal = Refusal(_decider.Decide(app, DeviceInfo(keyId: "devicekey")));

        Assert.Equal(UpdateErrors.KeyIdMismatch, refusal.Code);
        Assert.Equal(RefusalKind.Blocked, refusal.Kind);
        Assert.Equal("devicekey", refusal.DeviceKeyId);
        Assert.Equal("bundlekey", refusal.BundleKeyId);
    }

    [Theory]
    [InlineData(null, "bundlekey")]
    [InlineData("devicekey", null)]
    [InlineData("samekey", "samekey")]
    public void Decide_offers_when_keys_agree_or_one_side_is_unknown(string? deviceKey, string? bundleKey)
    {
        var app = new SnapshotBuilder().Channel("production", "1.1.0").Bundle("1.1.0", keyId: bundleKey).Build();

        Assert.IsType<UpdateOffer>(_decider.Decide(app, DeviceInfo(keyId: deviceKey)));
    }

    // ---- step 5: versions ----

    [Fact]
    public void Decide_returns_no_update_when_device_is_on_latest()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0").Build(), DeviceInfo(versionName: "1.1.0")));

        Assert.Equal(UpdateErrors.NoNewVersionAvailable, refusal.Code);
        Assert.Equal(RefusalKind.UpToDate, refusal.Kind);
        Assert.Equal("No new version available", refusal.Message);
        Assert.Equal(ChannelSource.PublicDefault, refusal.Source);
    }

    [Fact]
    public void Decide_offers_an_older_bundle_so_a_rollback_reaches_devices()
    {
        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("1.0.1").Build(), DeviceInfo(versionName: "1.1.0")));

        Assert.Equal("1.0.1", offer.Bundle.Version);
    }

    // ---- step 6a: platforms ----

    [Theory]
    [InlineData(Platform.Ios, UpdateErrors.DisabledPlatformIos)]
    [InlineData(Platform.Android, UpdateErrors.DisabledPlatformAndroid)]
    [InlineData(Platform.Electron, UpdateErrors.DisabledPlatformElectron)]
    public void Decide_refuses_a_platform_the_overriding_channel_switched_off(Platform platform, string code)
    {
        // Only an admin override can reach a channel that is off for the platform.
        var app = ProductionOn("1.0.0").Channel("pilot", "1.1.0", c => c with { Ios = false, Android = false, Electron = false }).Bundle("1.1.0")
            .Device(new DeviceRecord("device-1", OverrideChannel: "pilot")).Build();

        var refusal = Refusal(_decider.Decide(app, DeviceInfo(platform: platform)));

        Assert.Equal(code, refusal.Code);
        Assert.Equal(RefusalKind.Blocked, refusal.Kind);
        Assert.Equal("1.1.0", refusal.Version);
        Assert.Equal("1.0.0", refusal.Old);
        Assert.False(refusal.Major);
        Assert.Equal(ChannelSource.AdminOverride, refusal.Source);
    }

    // ---- step 6b–f: version fences against the native version ----

    [Fact]
    public void Decide_refuses_major_upgrade_when_channel_blocks_major()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("2.0.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.Major }).Build(),
            DeviceInfo(versionName: "1.0.3", versionBuild: "1.0.0")));

        Assert.Equal(UpdateErrors.DisableAutoUpdateToMajor, refusal.Code);
        Assert.Equal("Cannot upgrade major version", refusal.Message);
        Assert.Equal(RefusalKind.Blocked, refusal.Kind);
        Assert.True(refusal.Major);
        Assert.Equal("2.0.0", refusal.Version);
        Assert.Equal("1.0.3", refusal.Old);
    }

    [Fact]
    public void Decide_compares_the_major_fence_with_the_native_version_not_the_current_bundle()
    {
        // The device already runs a 2.x bundle, but its binary is 1.x: still fenced.
        var refusal = Refusal(_decider.Decide(ProductionOn("2.1.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.Major }).Build(),
            DeviceInfo(versionName: "2.0.0", versionBuild: "1.9.0")));

        Assert.Equal(UpdateErrors.DisableAutoUpdateToMajor, refusal.Code);
    }

    [Fact]
    public void Decide_allows_minor_upgrades_under_the_major_fence()
    {
        Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("1.5.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.Major }).Build(),
            DeviceInfo(versionName: "1.0.0", versionBuild: "1.0.0")));
    }

    [Theory]
    [InlineData("1.1.0", true)]
    [InlineData("2.0.0", true)]
    [InlineData("1.0.7", false)]
    public void Decide_applies_the_minor_fence(string target, bool blocked)
    {
        var decision = _decider.Decide(ProductionOn(target, c => c with { DisableAutoUpdate = AutoUpdatePolicy.Minor }).Build(),
            DeviceInfo(versionName: "1.0.1", versionBuild: "1.0.0"));

        if (blocked)
        {
            var refusal = Refusal(decision);
            Assert.Equal(UpdateErrors.DisableAutoUpdateToMinor, refusal.Code);
            Assert.True(refusal.Major);
        }
        else
        {
            Assert.IsType<UpdateOffer>(decision);
        }
    }

    [Theory]
    [InlineData("1.0.1", true)]
    [InlineData("1.1.0", true)]
    [InlineData("1.0.0-hotfix.1", false)]
    public void Decide_applies_the_patch_fence(string target, bool blocked)
    {
        var decision = _decider.Decide(ProductionOn(target, c => c with { DisableAutoUpdate = AutoUpdatePolicy.Patch, DisableAutoUpdateUnderNative = false }).Build(),
            DeviceInfo(versionName: "0.9.0", versionBuild: "1.0.0"));

        if (blocked)
            Assert.Equal(UpdateErrors.DisableAutoUpdateToPatch, Refusal(decision).Code);
        else
            Assert.IsType<UpdateOffer>(decision);
    }

    [Fact]
    public void Decide_refuses_version_number_policy_without_a_minimum_as_misconfigured()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.VersionNumber }).Build(), DeviceInfo()));

        Assert.Equal(UpdateErrors.MisconfiguredChannel, refusal.Code);
        Assert.Equal(RefusalKind.Failed, refusal.Kind);
        Assert.Equal("1.1.0", refusal.Version);
    }

    [Theory]
    [InlineData("1.2.0", "1.1.0", true)]
    [InlineData("1.2.0", "1.2.0", false)]
    [InlineData("1.0.0", "1.5.0", false)]
    public void Decide_applies_the_minimum_native_version_of_the_bundle(string minUpdateVersion, string native, bool blocked)
    {
        var app = new SnapshotBuilder()
            .Channel("production", "1.3.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.VersionNumber, DisableAutoUpdateUnderNative = false })
            .Bundle("1.3.0", minUpdateVersion: minUpdateVersion).Build();

        var decision = _decider.Decide(app, DeviceInfo(versionName: "1.0.0", versionBuild: native));

        if (blocked)
        {
            var refusal = Refusal(decision);
            Assert.Equal(UpdateErrors.DisableAutoUpdateToMetadata, refusal.Code);
            Assert.True(refusal.Major);
        }
        else
        {
            Assert.IsType<UpdateOffer>(decision);
        }
    }

    [Fact]
    public void Decide_refuses_a_bundle_under_the_native_version()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("1.0.1").Build(), DeviceInfo(versionName: "1.2.0", versionBuild: "1.2.0")));

        Assert.Equal(UpdateErrors.DisableAutoUpdateUnderNative, refusal.Code);
        Assert.Equal("Cannot revert under native version", refusal.Message);
        Assert.False(refusal.Major);
    }

    [Fact]
    public void Decide_offers_under_native_when_the_channel_allows_it()
    {
        Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("1.0.1", c => c with { DisableAutoUpdateUnderNative = false }).Build(),
            DeviceInfo(versionName: "1.2.0", versionBuild: "1.2.0")));
    }

    [Fact]
    public void Decide_offers_any_version_when_the_channel_has_no_fence()
    {
        Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("3.0.0", c => c with { DisableAutoUpdate = AutoUpdatePolicy.None }).Build(),
            DeviceInfo(versionName: "1.0.0", versionBuild: "1.0.0")));
    }

    [Fact]
    public void Decide_checks_the_platform_before_the_version_fences()
    {
        var app = ProductionOn("1.0.0").Channel("pilot", "2.0.0", c => c with { Android = false }).Bundle("2.0.0")
            .Device(new DeviceRecord("device-1", OverrideChannel: "pilot")).Build();

        Assert.Equal(UpdateErrors.DisabledPlatformAndroid, Refusal(_decider.Decide(app, DeviceInfo())).Code);
    }

    // ---- step 6g: build and device gates ----

    [Theory]
    [InlineData(false, true, UpdateErrors.DisableProdBuild)]
    [InlineData(false, false, UpdateErrors.DisableDevBuild)]
    [InlineData(false, true, UpdateErrors.DisableDevice)]
    [InlineData(true, true, UpdateErrors.DisableEmulator)]
    public void Decide_applies_the_build_and_device_gates(bool isEmulator, bool isProd, string code)
    {
        Func<ChannelDefinition, ChannelDefinition> gate = code switch
        {
            UpdateErrors.DisableProdBuild => c => c with { AllowProd = false },
            UpdateErrors.DisableDevBuild => c => c with { AllowDev = false },
            UpdateErrors.DisableDevice => c => c with { AllowDevice = false },
            _ => c => c with { AllowEmulator = false },
        };

        var refusal = Refusal(_decider.Decide(ProductionOn("1.1.0", gate).Build(), DeviceInfo(isEmulator: isEmulator, isProd: isProd)));

        Assert.Equal(code, refusal.Code);
        Assert.Equal(RefusalKind.Blocked, refusal.Kind);
        Assert.Equal("1.1.0", refusal.Version);
    }

    [Fact]
    public void Decide_checks_version_fences_before_build_gates()
    {
        var refusal = Refusal(_decider.Decide(ProductionOn("2.0.0", c => c with { AllowProd = false }).Build(), DeviceInfo()));

        Assert.Equal(UpdateErrors.DisableAutoUpdateToMajor, refusal.Code);
    }

    // ---- step 7: builtin ----

    [Fact]
    public void Decide_sends_devices_back_to_the_builtin_bundle()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin", c => c with { DisableAutoUpdate = AutoUpdatePolicy.Patch }).Build();

        var offer = Assert.IsType<BuiltinOffer>(_decider.Decide(app, DeviceInfo(versionName: "1.1.0")));

        Assert.Equal("production", offer.Channel);
    }

    [Fact]
    public void Decide_tells_a_device_already_on_builtin_it_is_up_to_date()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin").Build();

        var refusal = Refusal(_decider.Decide(app, OnBuiltin("1.0.0")));

        Assert.Equal(UpdateErrors.AlreadyOnBuiltin, refusal.Code);
        Assert.Equal(RefusalKind.UpToDate, refusal.Kind);
    }

    [Fact]
    public void Decide_still_applies_build_gates_to_a_builtin_target()
    {
        var app = new SnapshotBuilder().Channel("production", "builtin", c => c with { AllowEmulator = false }).Build();

        Assert.Equal(UpdateErrors.DisableEmulator, Refusal(_decider.Decide(app, DeviceInfo(isEmulator: true))).Code);
    }

    [Fact]
    public void Decide_offers_a_bundle_to_a_device_on_builtin()
    {
        var offer = Assert.IsType<UpdateOffer>(_decider.Decide(ProductionOn("1.0.1").Build(), OnBuiltin("1.0.0")));

        Assert.Equal("1.0.1", offer.Bundle.Version);
    }

    // ---- channel_self helpers ----

    [Fact]
    public void ResolveChannel_reports_the_source()
    {
        var app = ProductionOn("1.0.0").Build();

        var resolution = _decider.ResolveChannel(app, DeviceInfo());

        Assert.Equal("production", resolution.Channel?.Name);
        Assert.Equal(ChannelSource.PublicDefault, resolution.Source);
    }

    [Fact]
    public void ListSelfAssignable_keeps_public_and_self_assignable_channels_open_to_the_device_in_id_order()
    {
        var app = ProductionOn("1.0.0")
            .Channel("beta", "1.0.0", c => c with { AllowDeviceSelfSet = true })
            .Channel("internal", "1.0.0")
            .Channel("ios-beta", "1.0.0", c => c with { AllowDeviceSelfSet = true, Android = false })
            .Channel("dev-beta", "1.0.0", c => c with { AllowDeviceSelfSet = true, AllowProd = false })
            .Build();

        var names = _decider.ListSelfAssignable(app, Platform.Android, isEmulator: false, isProd: true).Select(c => c.Name);

        Assert.Equal(["production", "beta"], names);
    }

    [Fact]
    public void Every_error_code_has_a_message()
    {
        var codes = typeof(UpdateErrors).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(19, codes.Count);
        Assert.All(codes, code => Assert.False(string.IsNullOrWhiteSpace(UpdateErrors.MessageFor(code))));
    }
}
