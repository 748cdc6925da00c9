using System.ComponentModel.DataAnnotations;

namespace UpdateFunctions.Functions.Devices;

/// <summary>Limits of the anonymous device endpoints (section <c>DeviceApi</c>).</summary>
public sealed class DeviceApiOptions
{
    public const string SectionName = "DeviceApi";

    /// <summary>Largest body of <c>/updates</c> and <c>/channel_self</c>; a device info object is well under 2 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest <c>/stats</c> body. Higher than <see cref="MaxBodyBytes"/> because the v8 plugin batches up to ~200
    /// events of ~0.5 KiB each, and drops a batch answered with a 4xx.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxStatsBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Calls per device per minute, all device endpoints together, per instance; 0 = unlimited.</summary>
    [Range(0, int.MaxValue)]
    public int RateLimitPerDevicePerMinute { get; set; } = 120;

    /// <summary>Calls per app per second, per instance; 0 = unlimited.</summary>
    [Range(0, int.MaxValue)]
    public int RateLimitPerAppPerSecond { get; set; } = 20_000;
}
