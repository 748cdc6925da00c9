using System.Globalization;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>
/// Builds the devices of a simulation from its options and seed. Shares are exact, not sampled: 30 % of 50 devices is
/// 15 devices (largest remainder), and which devices get an attribute is a seeded shuffle per attribute, so platform,
/// native version, channel and custom id are independent of each other.
/// </summary>
public static class DevicePopulation
{
    public static IReadOnlyList<SimulatedDevice> Create(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.Devices;
        var platforms = Assign(options.Platforms, count, options.Seed, "platform", normalize: true);
        var builds = Assign(options.VersionBuilds, count, options.Seed, "version-build", normalize: true);
        var channels = Assign(options.Channels, count, options.Seed, "channel", normalize: false);
        var customIds = CustomIdTemplates(options);

        var devices = new SimulatedDevice[count];
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var platform = platforms[i]!;
            var build = builds[i]!;
            var profile = new DeviceProfile(
                Number: number,
                DeviceId: DeterministicRandom.DeviceId(options.Seed, i),
                Platform: platform,
                VersionBuild: build,
                VersionCode: VersionCode(build),
                VersionOs: platform switch { "ios" => "18.5", "android" => "15", _ => "" },
                // What the Android plugin reports for a Play Store install; iOS and Electron report nothing.
                InstallSource: platform == "android" ? "google_play" : "",
                CustomId: customIds[i] is { } template ? CustomId(template, number) : null,
                Channel: channels[i]);
            devices[i] = new SimulatedDevice(profile, options.VersionName);
        }
        return devices;
    }

    /// <summary>The custom id template of each device (null: none).</summary>
    public static string?[] CustomIdTemplates(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Assign(options.CustomIds, options.Devices, options.Seed, "custom-id", normalize: false);
    }

    /// <summary><c>*</c> in a template becomes the device number.</summary>
    public static string CustomId(string template, int number)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace("*", number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// Gives each of <paramref name="count"/> devices one value of <paramref name="shares"/> (or null): with
    /// <paramref name="normalize"/> the weights are relative and every device gets a value; otherwise each weight is a
    /// share of the devices and the rest get null.
    /// </summary>
    public static string?[] Assign(IReadOnlyList<Share> shares, int count, int seed, string attribute, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var result = new string?[count];
        if (shares.Count == 0 || count == 0)
            return result;

        var total = shares.Sum(s => s.Weight);
        var fractions = shares.Select(s => normalize ? s.Weight / total : s.Weight).ToArray();
        var slots = normalize ? count : (int)Math.Round(Math.Min(1, total) * count, MidpointRounding.AwayFromZero);
        var quotas = LargestRemainder(fractions.Select(f => f * count).ToArray(), slots);

        // A seeded order of the devices for this attribute; values are dealt out along it.
        var order = Enumerable.Range(0, count)
            .OrderBy(i => DeterministicRandom.Unit(FormattableString.Invariant($"{attribute}:{seed}:{i}")))
            .ThenBy(i => i)
            .ToArray();
        var next = 0;
        for (var s = 0; s < shares.Count; s++)
        {
            for (var q = 0; q < quotas[s]; q++)
                result[order[next++]] = shares[s].Value;
        }
        return result;
    }

    private static int[] LargestRemainder(double[] ideal, int slots)
    {
        var quotas = ideal.Select(x => (int)Math.Floor(x)).ToArray();
        var left = slots - quotas.Sum();
        foreach (var index in Enumerable.Range(0, ideal.Length).OrderByDescending(i => ideal[i] - quotas[i]).ThenBy(i => i))
        {
            if (left <= 0)
                break;
            quotas[index]++;
            left--;
        }
        return quotas;
    }

    /// <summary>A build number as an Android <c>versionCode</c> is usually derived: 1.2.3 → 10203.</summary>
    private static string VersionCode(string versionBuild)
    {
        var parts = versionBuild.Split('-', '+')[0].Split('.');
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        long code = 0;
        foreach (var n in numbers.Take(3))
            code = code * 100 + Math.Min(n, 99);
        return code.ToString(CultureInfo.InvariantCulture);
    }
}
