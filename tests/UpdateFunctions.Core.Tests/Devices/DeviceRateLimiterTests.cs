using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Tests.Devices;

public sealed class DeviceRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 15, TimeSpan.Zero);

    [Fact]
    public void A_device_over_its_per_minute_limit_waits_for_the_next_minute()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(PerDevicePerMinute: 3, PerAppPerSecond: 0), clock);

        var allowed = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("com.a.b", "d1", out _)).ToList();
        var refused = limiter.TryAcquire("com.a.b", "d1", out var retryAfter);

        Assert.All(allowed, Assert.True);
        Assert.False(refused);
        Assert.Equal(45, retryAfter);
        Assert.True(limiter.TryAcquire("com.a.b", "d2", out _));
        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.True(limiter.TryAcquire("com.a.b", "d1", out _));
    }

    [Fact]
    public void An_app_over_its_per_second_limit_is_refused_for_a_second()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(PerDevicePerMinute: 0, PerAppPerSecond: 2), clock);

        Assert.True(limiter.TryAcquire("com.a.b", "d1", out _));
        Assert.True(limiter.TryAcquire("com.a.b", "d2", out _));
        Assert.False(limiter.TryAcquire("com.a.b", "d3", out var retryAfter));
        Assert.Equal(1, retryAfter);
        Assert.True(limiter.TryAcquire("com.other.app", "d3", out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire("com.a.b", "d3", out _));
    }

    [Fact]
    public void Zero_turns_the_limits_off()
    {
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(0, 0), new FakeTimeProvider(Start));

        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.True(limiter.TryAcquire("com.a.b", "d1", out _)));
    }

    [Fact]
    public void Tracked_devices_are_swept_when_their_window_ended()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(PerDevicePerMinute: 1, PerAppPerSecond: 0, MaxTrackedDevices: 10), clock);
        for (var i = 0; i < 10; i++)
            limiter.TryAcquire("com.a.b", $"d{i}", out _);
        clock.Advance(TimeSpan.FromMinutes(1));

        // The sweep frees the old windows; a device counted last minute starts afresh.
        Assert.True(limiter.TryAcquire("com.a.b", "new", out _));
        Assert.True(limiter.TryAcquire("com.a.b", "d0", out _));
        Assert.False(limiter.TryAcquire("com.a.b", "d0", out _));
    }

    [Fact]
    public async Task Racing_calls_of_one_app_get_exactly_the_limit_in_a_window()
    {
        var limiter = new DeviceRateLimiter(new DeviceRateLimits(PerDevicePerMinute: 0, PerAppPerSecond: 5_000), new FakeTimeProvider(Start));
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                if (limiter.TryAcquire("com.a.b", $"d{worker}-{i}", out _))
                    Interlocked.Increment(ref granted);
            }
        })));

        Assert.Equal(5_000, granted);
    }
}
