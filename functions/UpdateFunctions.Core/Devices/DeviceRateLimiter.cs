using System.Collections.Concurrent;

namespace UpdateFunctions.Core.Devices;

/// <summary>Limits of the device endpoints, per instance (section <c>DeviceApi:RateLimit</c>); 0 turns a limit off.</summary>
/// <param name="PerDevicePerMinute">
/// Calls one device may make per minute to all device endpoints together. The plugin checks on start and resume and
/// sends stats at most once a second, so a well-behaved device stays far below the default.
/// </param>
/// <param name="PerAppPerSecond">Calls per second for one app on one instance: a guard against floods, not a quota.</param>
/// <param name="MaxTrackedDevices">Devices remembered at once; beyond it, finished windows are swept.</param>
public sealed record DeviceRateLimits(int PerDevicePerMinute = 120, int PerAppPerSecond = 20_000, int MaxTrackedDevices = 200_000);

/// <summary>
/// Fixed-window counters per device (per minute) and per app (per second), in memory on each instance. A refused call
/// gets 429 with <c>Retry-After</c> until the window ends, which the plugin honours before calling again.
/// </summary>
public sealed class DeviceRateLimiter(DeviceRateLimits limits, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string App, string Device), Window> _devices = new();
    private readonly ConcurrentDictionary<string, Window> _apps = new(StringComparer.Ordinal);
    private long _lastSweepMinute;

    /// <summary>Counts one call; false (with the seconds to wait) when a limit is reached.</summary>
    public bool TryAcquire(string appId, string deviceId, out int retryAfterSeconds)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        retryAfterSeconds = 0;

        if (limits.PerAppPerSecond > 0)
        {
            var second = now / 1000;
            if (!_apps.GetOrAdd(appId, static _ => new Window()).TryCount(second, limits.PerAppPerSecond))
            {
                retryAfterSeconds = 1;
                return false;
            }
        }

        if (limits.PerDevicePerMinute > 0)
        {
            var minute = now / 60_000;
            if (_devices.Count >= limits.MaxTrackedDevices)
                Sweep(minute);
            if (!_devices.GetOrAdd((appId, deviceId), static _ => new Window()).TryCount(minute, limits.PerDevicePerMinute))
            {
                retryAfterSeconds = (int)Math.Max(1, Math.Ceiling((((minute + 1) * 60_000) - now) / 1000.0));
                return false;
            }
        }
        return true;
    }

    /// <summary>Drops devices whose window has ended; at most once a minute, so a flood of new ids costs little.</summary>
    private void Sweep(long minute)
    {
        if (Interlocked.Exchange(ref _lastSweepMinute, minute) == minute)
            return;
        foreach (var (key, window) in _devices)
        {
            if (window.Index < minute)
                _devices.TryRemove(key, out _);
        }
    }

    private sealed class Window
    {
        private readonly Lock _gate = new();
        private int _count;

        public long Index { get; private set; } = -1;

        public bool TryCount(long index, int limit)
        {
            lock (_gate)
            {
                if (Index != index)
                {
                    Index = index;
                    _count = 0;
                }
                if (_count >= limit)
                    return false;
                _count++;
                return true;
            }
        }
    }
}
