using System.Collections.Frozen;
using Semver;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Segments;

/// <summary>How a segment combines its conditions.</summary>
public enum SegmentMatch
{
    /// <summary>Every condition holds.</summary>
    All,
    /// <summary>At least one condition holds.</summary>
    Any,
}

/// <summary>
/// A named group of devices of an app (beta testers, enterprise accounts, new installs…), defined by conditions over
/// what a device sends. Built once when a snapshot loads: sets are frozen and versions parsed, so matching a device
/// does no lookup work beyond hashing.
/// </summary>
public sealed record SegmentDefinition(string Name, SegmentMatch Match, IReadOnlyList<SegmentCondition> Conditions, string? Description = null)
{
    /// <summary>Segment names follow channel names: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; not <c>all</c>.</summary>
    public static bool IsValidName(string? name) =>
        DeviceInfoReader.IsValidChannelName(name) && !name!.Contains(' ', StringComparison.Ordinal) && name != "all";

    /// <param name="channel">The channel the device is on (resolved as for an update check), if any.</param>
    public bool Matches(DeviceInfo device, string? channel)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Conditions.Count == 0)
            return false;
        for (var i = 0; i < Conditions.Count; i++)
        {
            var holds = Conditions[i].Holds(device, channel);
            if (Match == SegmentMatch.Any && holds)
                return true;
            if (Match == SegmentMatch.All && !holds)
                return false;
        }
        return Match == SegmentMatch.All;
    }

    /// <summary>Each condition with whether it holds: the "why" of a match.</summary>
    public IReadOnlyList<(SegmentCondition Condition, bool Holds)> Explain(DeviceInfo device, string? channel) =>
        [.. Conditions.Select(c => (c, c.Holds(device, channel)))];
}

/// <summary>One test on a device. Each kind has one JSON property name (see <see cref="SegmentJson"/>).</summary>
public abstract record SegmentCondition
{
    public abstract bool Holds(DeviceInfo device, string? channel);

    /// <summary>A short human form, e.g. <c>custom_id starts with "ent-"</c>.</summary>
    public abstract string Describe();
}

public sealed record PlatformCondition(FrozenSet<Platform> Platforms) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => Platforms.Contains(device.Platform);
    public override string Describe() => $"platform in [{string.Join(", ", Platforms.Select(p => p.ToWire()).Order(StringComparer.Ordinal))}]";
}

/// <summary>A version in <c>[Min, Max)</c>: the minimum included, the maximum excluded; either may be open.</summary>
public sealed record VersionRangeCondition(bool NativeVersion, SemVersion? Min, SemVersion? Max) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel)
    {
        if (!BundleVersion.TryParse(NativeVersion ? device.VersionBuild : device.VersionName, out var version))
            return false;
        return (Min is null || BundleVersion.Compare(version, Min) >= 0)
            && (Max is null || BundleVersion.Compare(version, Max) < 0);
    }

    public override string Describe() =>
        $"{(NativeVersion ? "version_build" : "version_name")} in [{Min?.ToString() ?? "*"}, {Max?.ToString() ?? "*"})";
}

public sealed record CustomIdEqualsCondition(string Value) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => string.Equals(device.CustomId, Value, StringComparison.Ordinal);
    public override string Describe() => $"custom_id is \"{Value}\"";
}

public sealed record CustomIdPrefixCondition(string Prefix) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => device.CustomId?.StartsWith(Prefix, StringComparison.Ordinal) == true;
    public override string Describe() => $"custom_id starts with \"{Prefix}\"";
}

public sealed record CustomIdInCondition(FrozenSet<string> Values) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => device.CustomId is { } id && Values.Contains(id);
    public override string Describe() => $"custom_id in a list of {Values.Count}";
}

public sealed record ChannelCondition(FrozenSet<string> Channels) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => channel is not null && Channels.Contains(channel);
    public override string Describe() => $"channel in [{string.Join(", ", Channels.Order(StringComparer.Ordinal))}]";
}

public sealed record EmulatorCondition(bool IsEmulator) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => device.IsEmulator == IsEmulator;
    public override string Describe() => $"is_emulator is {(IsEmulator ? "true" : "false")}";
}

public sealed record ProdCondition(bool IsProd) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => device.IsProd == IsProd;
    public override string Describe() => $"is_prod is {(IsProd ? "true" : "false")}";
}

public sealed record DeviceIdInCondition(FrozenSet<string> DeviceIds) : SegmentCondition
{
    public override bool Holds(DeviceInfo device, string? channel) => DeviceIds.Contains(device.DeviceId);
    public override string Describe() => $"device_id in a list of {DeviceIds.Count}";
}
