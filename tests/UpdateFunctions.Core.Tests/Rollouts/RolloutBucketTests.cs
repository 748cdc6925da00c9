using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Core.Tests.Rollouts;

/// <summary>Properties of <see cref="RolloutBucket"/> over many synthetic devices.</summary>
public sealed class RolloutBucketTests
{
    private static readonly string[] Devices = [.. Enumerable.Range(0, 100_000).Select(i => $"device-{i:D6}-{i * 7919 % 104729:x}")];

    [Fact]
    public void A_device_lands_in_the_same_bucket_every_time_and_the_value_is_pinned()
    {
        foreach (var device in Devices.Take(1000))
            Assert.Equal(RolloutBucket.Of("salt-a", device), RolloutBucket.Of("salt-a", device));
        // SHA-256("s:d") first 8 bytes big-endian mod 10000: fixed forever, whatever the process.
        Assert.Equal(Expected("s", "d"), RolloutBucket.Of("s", "d"));
    }

    [Fact]
    public void Buckets_are_in_range_for_long_and_non_ascii_ids()
    {
        var longId = new string('x', 2000);
        Assert.InRange(RolloutBucket.Of("salt", longId), 0, 9999);
        Assert.Equal(Expected("sält", "设备-1"), RolloutBucket.Of("sält", "设备-1"));
    }

    [Fact]
    public void Widening_the_percentage_only_adds_devices()
    {
        int[] percents = [0, 1, 5, 10, 25, 50, 75, 99, 100];
        foreach (var device in Devices.Take(20_000))
        {
            var wasIn = false;
            foreach (var percent in percents)
            {
                var isIn = RolloutBucket.IsIn("widen", device, percent);
                Assert.True(isIn || !wasIn, $"{device} left the rollout when it widened to {percent}%");
                wasIn = isIn;
            }
            Assert.True(wasIn);
        }
    }

    [Fact]
    public void Each_decile_holds_ten_percent_of_100k_devices_within_one_point()
    {
        var deciles = new int[10];
        foreach (var device in Devices)
            deciles[RolloutBucket.Of("uniform", device) / 1000]++;
        foreach (var count in deciles)
            Assert.InRange(count, 9_000, 11_000);
    }

    [Fact]
    public void Percentages_admit_their_share_of_devices()
    {
        foreach (var percent in new[] { 1, 5, 25, 50 })
        {
            var share = Devices.Count(d => RolloutBucket.IsIn("share", d, percent)) / (double)Devices.Length;
            Assert.InRange(share, percent / 100.0 - 0.01, percent / 100.0 + 0.01);
        }
    }

    [Fact]
    public void Different_salts_pick_independent_cohorts()
    {
        // Devices in the first 10% of rollout A: about 10% of them are also in the first 10% of rollout B.
        var inA = Devices.Where(d => RolloutBucket.IsIn("rollout-a", d, 10)).ToList();
        var alsoInB = inA.Count(d => RolloutBucket.IsIn("rollout-b", d, 10)) / (double)inA.Count;
        Assert.InRange(alsoInB, 0.08, 0.12);
    }

    private static int Expected(string salt, string device)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(salt + ":" + device));
        var value = 0UL;
        for (var i = 0; i < 8; i++)
            value = (value << 8) | hash[i];
        return (int)(value % 10_000);
    }
}
