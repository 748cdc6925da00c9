using System.Buffers.Binary;
using System.IO.Hashing;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class HyperLogLogTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void Estimate_is_within_three_standard_errors_of_the_distinct_count(int distinct)
    {
        var sketch = new HyperLogLog();

        // Each distinct item added twice: duplicates must not count.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < distinct; i++)
                sketch.Add(ItemHash(i));
        }

        var relativeError = Math.Abs(sketch.Estimate() - distinct) / distinct;
        Assert.InRange(relativeError, 0, 3 * sketch.StandardError);
    }

    [Fact]
    public void Standard_error_at_precision_12_is_about_one_point_six_percent_over_4096_one_byte_registers()
    {
        var sketch = new HyperLogLog();

        Assert.Equal(4096, sketch.RegisterCount);
        Assert.Equal(1.04 / 64, sketch.StandardError, 12);
    }

    [Fact]
    public void Device_id_hash_is_xxhash64_of_utf8_and_stable_across_processes()
    {
        // Pinned: stored sketches from earlier deployments must keep merging with new ones.
        Assert.Equal(XxHash64.HashToUInt64("device-0001"u8), HyperLogLog.Hash("device-0001"));
        Assert.Equal(HyperLogLog.Hash(new string('é', 400)), XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(new string('é', 400))));
    }

    [Fact]
    public void Adding_a_hash_or_a_device_id_allocates_nothing()
    {
        var sketch = new HyperLogLog();
        sketch.AddDevice("warm-up");
        var deviceIds = Enumerable.Range(0, 1000).Select(i => $"device-{i}").ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
            sketch.Add(ItemHash(i));
        foreach (var deviceId in deviceIds)
            sketch.AddDevice(deviceId);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void An_empty_sketch_estimates_zero_and_one_device_added_many_times_estimates_one()
    {
        var sketch = new HyperLogLog();
        Assert.True(sketch.IsEmpty);
        Assert.Equal(0, sketch.Count());

        for (var i = 0; i < 100; i++)
            sketch.AddDevice("device-42");

        Assert.False(sketch.IsEmpty);
        Assert.Equal(1, sketch.Count());
    }

    [Fact]
    public void Merge_is_idempotent_commutative_and_associative_and_estimates_the_union()
    {
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var a = RandomSketch(random, 0, 3000);
            var b = RandomSketch(random, 2000, 6000);
            var c = RandomSketch(random, 5000, 9000);

            var ab = a.Clone();
            ab.Merge(b);
            var ba = b.Clone();
            ba.Merge(a);
            Assert.Equal(ab, ba);

            var abTwice = ab.Clone();
            abTwice.Merge(b);
            abTwice.Merge(ab);
            Assert.Equal(ab, abTwice);

            var abThenC = ab.Clone();
            abThenC.Merge(c);
            var bc = b.Clone();
            bc.Merge(c);
            var aThenBc = a.Clone();
            aThenBc.Merge(bc);
            Assert.Equal(abThenC, aThenBc);
        }

        var union = new HyperLogLog();
        var left = new HyperLogLog();
        var right = new HyperLogLog();
        for (var i = 0; i < 60_000; i++)
        {
            (i < 40_000 ? left : right).Add(ItemHash(i));
            union.Add(ItemHash(i));
        }

        left.Merge(right);
        Assert.Equal(union, left);
    }

    [Fact]
    public void Merging_sketches_of_different_precision_is_refused()
    {
        var twelve = new HyperLogLog(12);
        var fourteen = new HyperLogLog(14);

        Assert.Throws<ArgumentException>(() => twelve.Merge(fourteen));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(500)]
    [InlineData(5_000)]
    [InlineData(200_000)]
    public void Bytes_round_trip_sparse_or_dense_within_the_dense_size(int distinct)
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < distinct; i++)
            sketch.Add(ItemHash(i));

        var bytes = sketch.ToBytes();
        var read = HyperLogLog.FromBytes(bytes);

        Assert.Equal(sketch, read);
        Assert.Equal(sketch.Estimate(), read.Estimate());
        Assert.InRange(bytes.Length, 2, 2 + 4096);
        if (distinct <= 500)
            Assert.True(bytes.Length < 2 + 4096, "a small sketch is stored sparse");
    }

    [Fact]
    public void Reading_bytes_that_are_not_a_sketch_fails_with_a_format_exception()
    {
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes([]));
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes([9, 12]));
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes([1, 12, 0, 0]));
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes([1, 30]));
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes([2, 12, 1, 0, 0xFF, 0xFF, 1]));
        var tooHighRank = new byte[2 + 4096];
        tooHighRank[0] = 1;
        tooHighRank[1] = 12;
        tooHighRank[100] = 60;
        Assert.Throws<FormatException>(() => HyperLogLog.FromBytes(tooHighRank));
    }

    private static HyperLogLog RandomSketch(Random random, int from, int to)
    {
        var sketch = new HyperLogLog();
        for (var i = 0; i < 500; i++)
            sketch.Add(ItemHash(random.Next(from, to)));
        return sketch;
    }

    private static ulong ItemHash(int item)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, item);
        return XxHash64.HashToUInt64(bytes);
    }
}
