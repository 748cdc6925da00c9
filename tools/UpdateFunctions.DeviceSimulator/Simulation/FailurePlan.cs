using System.Globalization;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>How an injected install failure shows, as the plugin reports it (every one names the offered bundle).</summary>
public enum FailureMode
{
    /// <summary>
    /// The bundle installs but the app never calls <c>notifyAppReady</c>: <c>download_complete</c>, <c>set</c>, then
    /// <c>update_fail</c>, and the plugin rolls the device back to its previous bundle. What a bad release looks like.
    /// </summary>
    Update,
    /// <summary>The download fails: <c>download_fail</c>.</summary>
    Download,
    /// <summary>The download completes but the bundle cannot be made current: <c>download_complete</c>, <c>set_fail</c>.</summary>
    Set,
}

/// <summary>A device attribute a failure filter can test.</summary>
public enum DeviceField
{
    Platform,
    /// <summary>The <c>defaultChannel</c> the device sends (<c>none</c> matches devices that send none).</summary>
    Channel,
    CustomIdPrefix,
    VersionBuild,
}

/// <summary>One <c>--fail-where field=value[,value…]</c>: the device matches when its field equals (or, for a prefix, starts with) any value.</summary>
public sealed record DeviceFilter(DeviceField Field, IReadOnlyList<string> Values)
{
    public bool Matches(DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Field switch
        {
            DeviceField.Platform => Values.Contains(device.Platform, StringComparer.Ordinal),
            DeviceField.Channel => Values.Contains(device.Channel ?? "none", StringComparer.Ordinal),
            DeviceField.CustomIdPrefix => device.CustomId is { } id && Values.Any(p => id.StartsWith(p, StringComparison.Ordinal)),
            DeviceField.VersionBuild => Values.Contains(device.VersionBuild, StringComparer.Ordinal),
            _ => false,
        };
    }

    public override string ToString() => $"{FieldName(Field)}={string.Join(',', Values)}";

    public static string FieldName(DeviceField field) => field switch
    {
        DeviceField.Platform => "platform",
        DeviceField.Channel => "channel",
        DeviceField.CustomIdPrefix => "custom-id-prefix",
        DeviceField.VersionBuild => "version-build",
        _ => field.ToString(),
    };
}

/// <summary>
/// Which install attempts fail: each attempt of a matching device on a matching bundle fails with probability
/// <see cref="Rate"/>, drawn from the seed, the device, the bundle and the attempt number (or, when
/// <see cref="Sticky"/>, without the attempt number: the same devices fail every time).
/// </summary>
/// <param name="Versions">Only installs of these bundles can fail (empty: any bundle, rollbacks included).</param>
/// <param name="Where">Only devices matching every filter can fail.</param>
public sealed record FailurePlan(double Rate, FailureMode Mode, IReadOnlyList<string> Versions, IReadOnlyList<DeviceFilter> Where, bool Sticky)
{
    public static FailurePlan None { get; } = new(0, FailureMode.Update, [], [], false);

    public bool IsActive => Rate > 0;

    /// <summary>Whether the <paramref name="attempt"/>-th (from 1) install of <paramref name="version"/> on the device fails.</summary>
    public bool ShouldFail(int seed, DeviceProfile device, string version, int attempt)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Rate <= 0 || (Versions.Count > 0 && !Versions.Contains(version, StringComparer.Ordinal)))
            return false;
        if (!Where.All(filter => filter.Matches(device)))
            return false;
        if (Rate >= 1)
            return true;
        var key = Sticky
            ? FormattableString.Invariant($"fail:{seed}:{device.DeviceId}:{version}")
            : FormattableString.Invariant($"fail:{seed}:{device.DeviceId}:{version}:{attempt}");
        return DeterministicRandom.Unit(key) < Rate;
    }

    public override string ToString()
    {
        if (!IsActive)
            return "none";
        var text = string.Create(CultureInfo.InvariantCulture, $"{Rate:P0} of installs");
        if (Versions.Count > 0)
            text += " of " + string.Join(", ", Versions);
        if (Where.Count > 0)
            text += " on devices with " + string.Join(" and ", Where);
        return text + $" fail ({ModeName(Mode)}{(Sticky ? ", sticky" : "")})";
    }

    public static string ModeName(FailureMode mode) => mode switch
    {
        FailureMode.Update => "update_fail",
        FailureMode.Download => "download_fail",
        FailureMode.Set => "set_fail",
        _ => mode.ToString(),
    };
}
