using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Core.Tests.Updates;

/// <summary>Small app snapshots for decision tests: a public <c>production</c> channel unless told otherwise.</summary>
internal sealed class SnapshotBuilder
{
    /// <summary>A current v8 plugin: sends the 20-character key_id and keeps its own channel choice.</summary>
    public const string CurrentPlugin = "8.45.0";

    private readonly List<ChannelDefinition> _channels = [];
    private readonly List<BundleDefinition> _bundles = [];
    private readonly List<DeviceRecord> _devices = [];
    private readonly List<SegmentDefinition> _segments = [];
    private readonly List<RolloutDefinition> _rollouts = [];
    private string? _defaultChannel = "production";

    public SnapshotBuilder Channel(string name, string? bundle, Func<ChannelDefinition, ChannelDefinition>? configure = null)
    {
        var channel = new ChannelDefinition(name, _channels.Count + 1, bundle);
        _channels.Add(configure is null ? channel : configure(channel));
        return this;
    }

    public SnapshotBuilder Bundle(string version, string? keyId = null, string? minUpdateVersion = null)
    {
        _bundles.Add(new BundleDefinition(version, $"com.demo.app/{version}.zip", null, new string('a', 64), 100,
            KeyId: keyId, MinUpdateVersion: minUpdateVersion));
        return this;
    }

    public SnapshotBuilder Device(DeviceRecord device)
    {
        _devices.Add(device);
        return this;
    }

    public SnapshotBuilder Segment(SegmentDefinition segment)
    {
        _segments.Add(segment);
        return this;
    }

    public SnapshotBuilder Rollout(RolloutDefinition rollout)
    {
        _rollouts.Add(rollout);
        return this;
    }

    public SnapshotBuilder DefaultChannel(string? name)
    {
        _defaultChannel = name;
        return this;
    }

    public AppSnapshot Build() =>
        new(new AppDefinition("com.demo.app", "Demo", _defaultChannel), _channels, _bundles, _devices, DateTimeOffset.UnixEpoch,
            _segments, _rollouts);

    public static DeviceInfo DeviceInfo(
        string versionName = "1.0.0",
        string versionBuild = "1.0.0",
        Platform platform = Platform.Android,
        bool isEmulator = false,
        bool isProd = true,
        string? defaultChannel = null,
        string? keyId = null,
        string? pluginVersion = CurrentPlugin,
        string deviceId = "device-1") =>
        new("com.demo.app", deviceId, platform, versionName, versionBuild, isEmulator, isProd,
            IsOnBuiltin: false, PluginVersion: pluginVersion, DefaultChannel: defaultChannel, KeyId: keyId);

    /// <summary>A device running the bundle of its binary: the reader has already replaced <c>builtin</c> by the native version.</summary>
    public static DeviceInfo OnBuiltin(string versionBuild, Platform platform = Platform.Android, string? pluginVersion = CurrentPlugin) =>
        DeviceInfo(versionName: versionBuild, versionBuild: versionBuild, platform: platform, pluginVersion: pluginVersion) with { IsOnBuiltin = true };
}
