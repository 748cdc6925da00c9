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
/// Lock-free: it runs on every update check, and one app's window is shared by all of that app's requests.
/// </summary>
public sealed class DeviceRateLimiter(DeviceRateLimits limits, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string App, string Device), Window> _devices = new();
    private readonly ConcurrentDictionary<string, Window> _apps = new(StringComparer.Ordinal);
    private long _trackedDevices;
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
            var key = (appId, deviceId);
            if (!_devices.TryGetValue(key, out var window))
            {
                // ConcurrentDictionary.Count takes every lock, so the size is kept apart.
                if (Interlocked.Read(ref _trackedDevices) >= limits.MaxTrackedDevices)
                    Sweep(minute);
                window = new Window();
                if (_devices.TryAdd(key, window))
                    Interlocked.Increment(ref _trackedDevices);
                else
                    window = _devices[key];
            }
            if (!window.TryCount(minute, limits.PerDevicePerMinute))
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
            if (window.Index < minute && _devices.TryRemove(key, out _))
                Interlocked.Decrement(ref _trackedDevices);
        }
    }

    /// <summary>A window index and its count in one 64-bit word, updated by compare-and-swap.</summary>
    private sealed class Window
    {
        private const int CountBits = 24;
        private const long CountMask = (1L << CountBits) - 1;
        private long _state = -1L << CountBits;

        public long Index => Volatile.Read(ref _state) >> CountBits;

        public bool TryCount(long index, int limit)
        {
            // Limits beyond the 24-bit counter are effectively unlimited within one window.
            var cap = Math.Min(limit, CountMask);
            while (true)
            {
                var state = Volatile.Read(ref _state);
                var count = (state >> CountBits) == index ? state & CountMask : 0;
                if (count >= cap)
                    return false;
                if (Interlocked.CompareExchange(ref _state, (index << CountBits) | (count + 1), state) == state)
                    return true;
            }
        }
    }
}
