using System.Collections.Frozen;
using Semver;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Versions;

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
        DateTimeOffset loadedAt,
        IEnumerable<SegmentDefinition>? segments = null,
        IEnumerable<RolloutDefinition>? rollouts = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
        Channels = channels.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        Bundles = bundles.ToFrozenDictionary(b => b.Version, StringComparer.Ordinal);
        Devices = devices.ToFrozenDictionary(d => d.DeviceId, StringComparer.Ordinal);
        LoadedAt = loadedAt;
        Segments = [.. (segments ?? []).OrderBy(s => s.Name, StringComparer.Ordinal)];
        Rollouts = [.. (rollouts ?? []).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];

        _rolloutPlans = GoverningRollouts(Rollouts, Channels)
            .ToFrozenDictionary(p => p.Key, p => new RolloutPlan(p.Value, Segments), StringComparer.Ordinal);

        // Parsed once per snapshot rather than on every check: the decider compares these constantly.
        var parsed = new Dictionary<string, SemVersion>(StringComparer.Ordinal);
        foreach (var bundle in Bundles.Values)
        {
            if (BundleVersion.TryParse(bundle.Version, out var version))
                parsed[bundle.Version] = version;
            if (bundle.MinUpdateVersion is { } minimum && BundleVersion.TryParse(minimum, out var parsedMinimum))
                parsed[minimum] = parsedMinimum;
        }
        _versions = parsed.ToFrozenDictionary(StringComparer.Ordinal);
        _manifests = FrozenDictionary<string, BundleManifest>.Empty;
    }

    /// <summary>The same snapshot with loaded manifests; everything else is shared, not rebuilt.</summary>
    private AppSnapshot(AppSnapshot source, FrozenDictionary<string, BundleManifest> manifests)
    {
        App = source.App;
        Channels = source.Channels;
        Bundles = source.Bundles;
        Devices = source.Devices;
        LoadedAt = source.LoadedAt;
        Segments = source.Segments;
        Rollouts = source.Rollouts;
        _rolloutPlans = source._rolloutPlans;
        _versions = source._versions;
        _manifests = manifests;
    }

    /// <summary>
    /// The rollout that governs each channel: the one started last (a draft changes nothing yet). A running or paused
    /// one always governs. One that ended governs only while the channel still serves its baseline: that keeps a
    /// segment-limited completion in force (its cohort on the target) and covers a completion whose channel update
    /// has not been written yet, while a completion that moved the whole channel, or a bundle an admin set
    /// afterwards, hands the channel back to its own bundle.
    /// </summary>
    internal static Dictionary<string, RolloutDefinition> GoverningRollouts(
        IEnumerable<RolloutDefinition> rollouts, IReadOnlyDictionary<string, ChannelDefinition> channels)
    {
        var latest = new Dictionary<string, RolloutDefinition>(StringComparer.Ordinal);
        foreach (var rollout in rollouts)
        {
            if (rollout.StartedAt is not { } started)
                continue;
            if (!latest.TryGetValue(rollout.Channel, out var current) || current.StartedAt < started)
                latest[rollout.Channel] = rollout;
        }
        foreach (var (channelName, rollout) in latest.ToList())
        {
            var live = rollout.State is RolloutState.Running or RolloutState.Paused;
            var servesBaseline = channels.TryGetValue(channelName, out var channel)
                && string.Equals(channel.Bundle, rollout.BaselineBundle, StringComparison.Ordinal);
            if (!live && !servesBaseline)
                latest.Remove(channelName);
        }
        return latest;
    }

    private readonly FrozenDictionary<string, SemVersion> _versions;
    private readonly FrozenDictionary<string, RolloutPlan> _rolloutPlans;
    private readonly FrozenDictionary<string, BundleManifest> _manifests;

    public AppDefinition App { get; }
    public FrozenDictionary<string, ChannelDefinition> Channels { get; }
    public FrozenDictionary<string, BundleDefinition> Bundles { get; }
    public FrozenDictionary<string, DeviceRecord> Devices { get; }
    public DateTimeOffset LoadedAt { get; }

    /// <summary>The app's segments, by name.</summary>
    public IReadOnlyList<SegmentDefinition> Segments { get; }

    /// <summary>The app's rollouts, oldest first.</summary>
    public IReadOnlyList<RolloutDefinition> Rollouts { get; }

    /// <summary>The rollout that decides the bundle of <paramref name="channel"/>, if any (docs/protocol.md, decision step 3).</summary>
    public RolloutPlan? FindRolloutPlan(string channel) =>
        _rolloutPlans.TryGetValue(channel, out var plan) ? plan : null;

    /// <summary>
    /// Writes the names of the segments <paramref name="device"/> belongs to into <paramref name="names"/> (in name
    /// order, at most its length: the bound on how many segments one event counts in) and returns how many.
    /// </summary>
    public int MatchSegments(DeviceInfo device, string? channel, Span<string> names)
    {
        var count = 0;
        for (var i = 0; i < Segments.Count && count < names.Length; i++)
        {
            if (Segments[i].Matches(device, channel))
                names[count++] = Segments[i].Name;
        }
        return count;
    }

    public ChannelDefinition? FindChannel(string? name) =>
        name is not null && Channels.TryGetValue(name, out var channel) ? channel : null;

    public BundleDefinition? FindBundle(string? version) =>
        version is not null && Bundles.TryGetValue(version, out var bundle) ? bundle : null;

    public DeviceRecord? FindDevice(string deviceId) =>
        Devices.TryGetValue(deviceId, out var device) ? device : null;

    /// <summary>A bundle's version (or minimum native version) as parsed when the snapshot was built.</summary>
    public bool TryGetParsedVersion(string? version, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SemVersion? parsed)
    {
        if (version is not null && _versions.TryGetValue(version, out parsed))
            return true;
        parsed = null;
        return false;
    }

    /// <summary>The loaded manifest of a bundle version, when it may be offered with one (see <see cref="ManifestsToLoad"/>).</summary>
    public BundleManifest? FindManifest(string version) =>
        _manifests.TryGetValue(version, out var manifest) ? manifest : null;

    /// <summary>
    /// The bundles whose manifests an update check may offer, so the ones to hold in memory: those with a manifest that
    /// a channel with partial updates serves, directly or through its rollout (target and baseline), and those pinned
    /// on a device (a pin is served under the device's channel, which may have partial updates).
    /// </summary>
    public IReadOnlyList<BundleDefinition> ManifestsToLoad()
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in Channels.Values)
        {
            if (!channel.PartialUpdates)
                continue;
            if (channel.Bundle is { } bundle)
                versions.Add(bundle);
            if (FindRolloutPlan(channel.Name)?.Rollout is { } rollout)
            {
                versions.Add(rollout.BaselineBundle);
                versions.Add(rollout.TargetBundle);
            }
        }
        if (versions.Count > 0)
        {
            foreach (var device in Devices.Values)
            {
                if (device.PinnedBundle is { } pinned)
                    versions.Add(pinned);
            }
        }

        var result = new List<BundleDefinition>();
        foreach (var version in versions)
        {
            if (FindBundle(version) is { Manifest: not null } bundle)
                result.Add(bundle);
        }
        return result;
    }

    /// <summary>This snapshot with <paramref name="manifests"/> (bundle version → manifest) available to update checks.</summary>
    public AppSnapshot WithManifests(IReadOnlyDictionary<string, BundleManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        return new AppSnapshot(this, manifests.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>A channel is public when it is the app's default channel.</summary>
    public bool IsPublic(ChannelDefinition channel) =>
        string.Equals(channel.Name, App.DefaultChannel, StringComparison.Ordinal);
}
