using System.Collections.Frozen;

namespace UpdateFunctions.Core.Apps;

/// <summary>
/// Everything an update check needs about one app, read once from storage and then served from memory.
/// Immutable: a refresh builds a new snapshot and swaps it in.
/// </summary>
public sealed class AppSnapshot
{
    public AppSnapshot(
        AppDefinition app,
        IEnumerable<ChannelDefinition> channels,
        IEnumerable<BundleDefinition> bundles,
        IEnumerable<DeviceRecord> devices,
        DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
        Channels = channels.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        Bundles = bundles.ToFrozenDictionary(b => b.Version, StringComparer.Ordinal);
        Devices = devices.ToFrozenDictionary(d => d.DeviceId, StringComparer.Ordinal);
        LoadedAt = loadedAt;
    }

    public AppDefinition App { get; }
    public FrozenDictionary<string, ChannelDefinition> Channels { get; }
    public FrozenDictionary<string, BundleDefinition> Bundles { get; }
    public FrozenDictionary<string, DeviceRecord> Devices { get; }
    public DateTimeOffset LoadedAt { get; }

    public ChannelDefinition? FindChannel(string? name) =>
        name is not null && Channels.TryGetValue(name, out var channel) ? channel : null;

    public BundleDefinition? FindBundle(string? version) =>
        version is not null && Bundles.TryGetValue(version, out var bundle) ? bundle : null;

    public DeviceRecord? FindDevice(string deviceId) =>
        Devices.TryGetValue(deviceId, out var device) ? device : null;

    /// <summary>A channel is public when it is the app's default channel.</summary>
    public bool IsPublic(ChannelDefinition channel) =>
        string.Equals(channel.Name, App.DefaultChannel, StringComparison.Ordinal);
}
