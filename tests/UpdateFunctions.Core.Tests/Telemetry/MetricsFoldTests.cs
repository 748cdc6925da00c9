using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class MetricsFoldTests
{
    private static readonly ISegmentClassifier Segments = new TelemetryGen.TestClassifier();

    [Fact]
    public void Folding_a_batch_equals_summing_its_events_folded_one_by_one()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var batch = TelemetryGen.Events(random, random.Next(1, 300));

            var folded = MetricsFold.Fold(batch, Segments);

            var summed = new Dictionary<MetricKey, MetricCounters>();
            foreach (var statsEvent in batch)
            {
                foreach (var (key, counters) in MetricsFold.Fold([statsEvent], Segments))
                {
                    if (!summed.TryGetValue(key, out var total))
                        summed[key] = total = new MetricCounters();
                    total.Merge(counters);
                }
            }

            TelemetryGen.AssertSameMetrics(summed, folded);
            Assert.Equal(batch.Count, folded.Where(pair => pair.Key.Segment == MetricKey.AllSegment).Sum(pair => pair.Value.Events));
        }
    }

    [Fact]
    public void Folding_is_the_same_whatever_order_or_split_the_events_come_in()
    {
        var random = new Random(12);
        for (var round = 0; round < 100; round++)
        {
            var batch = TelemetryGen.Events(random, random.Next(1, 300));
            var whole = MetricsFold.Fold(batch, Segments);

            var shuffled = batch.OrderBy(_ => random.Next()).ToList();
            var merged = new Dictionary<MetricKey, MetricCounters>();
            foreach (var chunk in TelemetryGen.Split(random, shuffled, 40))
            {
                foreach (var (key, counters) in MetricsFold.Fold(chunk, Segments))
                {
                    if (!merged.TryGetValue(key, out var total))
                        merged[key] = total = counters.Clone();
                    else
                        total.Merge(counters);
                }
            }

            TelemetryGen.AssertSameMetrics(whole, merged);
        }
    }

    [Fact]
    public void Merging_counters_is_commutative_and_associative()
    {
        var random = new Random(13);
        for (var round = 0; round < 100; round++)
        {
            var (a, b, c) = (RandomCounters(random), RandomCounters(random), RandomCounters(random));

            var ab = a.Clone();
            ab.Merge(b);
            var ba = b.Clone();
            ba.Merge(a);
            Assert.Equal(ab, ba);

            var abC = ab.Clone();
            abC.Merge(c);
            var bc = b.Clone();
            bc.Merge(c);
            var aBc = a.Clone();
            aBc.Merge(bc);
            Assert.Equal(abC, aBc);
        }
    }

    [Fact]
    public void A_key_has_the_events_hour_channel_platform_and_bundle_without_the_file_suffix()
    {
        var received = new DateTimeOffset(2026, 3, 1, 23, 59, 59, TimeSpan.FromHours(-2)); // 2 March 01:59 UTC
        var device = new DeviceInfo("app", "device-1", Platform.Android, "1.0.0", "1.0.0", DefaultChannel: "beta");
        var statsEvent = new StatsEvent(device, "download_manifest_file_fail", "1.2.0:www/index.js", null, null, null, received);

        var key = Assert.Single(MetricsFold.Fold([statsEvent], AllSegmentClassifier.Instance)).Key;

        Assert.Equal(new MetricKey("app", new DateOnly(2026, 3, 2), 1, "beta", Platform.Android, "1.2.0", "all"), key);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), key.HourStart);
    }

    [Fact]
    public void A_device_without_a_default_channel_counts_under_the_unspecified_channel()
    {
        var device = new DeviceInfo("app", "device-1", Platform.Ios, "1.0.0", "1.0.0");
        var statsEvent = new StatsEvent(device, "set", "1.0.0", null, null, null, TelemetryGen.Start);

        var key = Assert.Single(MetricsFold.Fold([statsEvent], AllSegmentClassifier.Instance)).Key;

        Assert.Equal(MetricKey.UnspecifiedChannel, key.Channel);
    }

    [Fact]
    public void An_event_counts_in_the_all_segment_and_at_most_eight_other_segments()
    {
        var device = new DeviceInfo("app", "device-1", Platform.Ios, "1.0.0", "1.0.0");
        var statsEvent = new StatsEvent(device, "set", "1.0.0", null, null, null, TelemetryGen.Start);

        var segments = MetricsFold.Fold([statsEvent], new GreedyClassifier(["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"]))
            .Keys.Select(k => k.Segment).Order().ToList();

        Assert.Equal(1 + MetricsFold.MaxSegmentsPerEvent, segments.Count);
        Assert.Equal(["all", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"], segments);
    }

    [Fact]
    public void Duplicate_empty_and_all_segment_names_from_a_classifier_are_dropped()
    {
        var device = new DeviceInfo("app", "device-1", Platform.Ios, "1.0.0", "1.0.0");
        var statsEvent = new StatsEvent(device, "set", "1.0.0", null, null, null, TelemetryGen.Start);

        var folded = MetricsFold.Fold([statsEvent], new GreedyClassifier(["s0", "s0", "", "all", "s1"]));

        Assert.Equal(["all", "s0", "s1"], folded.Keys.Select(k => k.Segment).Order());
        Assert.All(folded.Values, counters => Assert.Equal(1, counters.Installs));
    }

    [Fact]
    public void Over_long_dimension_values_are_bounded_and_stay_distinct()
    {
        var longA = new string('a', 300);
        var longB = new string('a', 299) + "b";

        var boundedA = MetricKey.Bounded(longA);
        var boundedB = MetricKey.Bounded(longB);

        Assert.True(boundedA.Length <= MetricKey.MaxDimensionLength);
        Assert.NotEqual(boundedA, boundedB);
        Assert.Equal("1.0.0", MetricKey.Bounded("1.0.0"));
    }

    [Fact]
    public void A_partition_batch_remembers_each_keys_first_and_last_sequence_number()
    {
        var random = new Random(14);
        var events = TelemetryGen.Sequenced(random, 200, firstSequenceNumber: 1000);

        var batch = MetricsFold.FoldBatch("3", events, Segments);

        Assert.Equal(1000, batch.FirstSequenceNumber);
        Assert.Equal(events[^1].SequenceNumber, batch.LastSequenceNumber);
        TelemetryGen.AssertSameMetrics(
            MetricsFold.Fold(events.Select(e => e.Event), Segments),
            batch.Keys.ToDictionary(key => key, key => batch[key]));
        foreach (var key in batch.Keys)
        {
            var mine = events.Where(e => MetricsFold.Fold([e.Event], Segments).ContainsKey(key)).ToList();
            Assert.Equal((mine[0].SequenceNumber, mine[^1].SequenceNumber), batch.SequenceRange(key));
        }
    }

    [Fact]
    public void What_a_row_still_needs_is_the_keys_events_after_what_it_applied()
    {
        var random = new Random(15);
        var events = TelemetryGen.Sequenced(random, 300);
        var batch = MetricsFold.FoldBatch("0", events, Segments);

        foreach (var key in batch.Keys.Take(30))
        {
            var (first, last) = batch.SequenceRange(key);
            Assert.Same(batch[key], batch.PendingFor(key, long.MinValue));
            Assert.Same(batch[key], batch.PendingFor(key, first - 1));
            Assert.Null(batch.PendingFor(key, last));
            Assert.Null(batch.PendingFor(key, last + 100));

            var middle = events[events.Count / 2].SequenceNumber;
            var expected = MetricsFold.Fold(events.Where(e => e.SequenceNumber > middle).Select(e => e.Event), Segments)
                .GetValueOrDefault(key);
            var pending = batch.PendingFor(key, middle);
            if (expected is null)
                Assert.True(pending is null || pending.Events == 0);
            else
                Assert.Equal(expected, pending);
        }
    }

    [Fact]
    public void A_partition_batch_must_be_in_sequence_order()
    {
        var random = new Random(16);
        var events = TelemetryGen.Sequenced(random, 3);
        events.Reverse();

        Assert.Throws<ArgumentException>(() => MetricsFold.FoldBatch("0", events, Segments));
    }

    private static MetricCounters RandomCounters(Random random)
    {
        var counters = new MetricCounters();
        foreach (var statsEvent in TelemetryGen.Events(random, random.Next(0, 100)))
            counters.Add(statsEvent);
        return counters;
    }

    /// <summary>Claims more segments than it may: writes what fits and returns a count past the buffer.</summary>
    private sealed class GreedyClassifier(string[] wanted) : ISegmentClassifier
    {
        public int Classify(DeviceInfo device, Span<string> segments)
        {
            var count = Math.Min(wanted.Length, segments.Length);
            wanted.AsSpan(0, count).CopyTo(segments);
            return wanted.Length + 10;
        }
    }
}
