using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// Names the segments a device belongs to, for per-segment metrics. Called once per event on the aggregator's hot
/// path: write names into the span it gets (no allocation needed) and return how many were written.
/// </summary>
/// <remarks>
/// The fold passes a buffer of <see cref="MetricsFold.MaxSegmentsPerEvent"/> slots, so a device counts in at most that
/// many segments plus <see cref="MetricKey.AllSegment"/>, whatever the rules say. The answer must depend on the
/// device info only (not on time or randomness): a redelivered batch is folded again and must land in the same rows.
/// </remarks>
public interface ISegmentClassifier
{
    /// <returns>The number of names written to the start of <paramref name="segments"/> (at most its length).</returns>
    int Classify(DeviceInfo device, Span<string> segments);
}

/// <summary>The default: no segment beyond <see cref="MetricKey.AllSegment"/>.</summary>
public sealed class AllSegmentClassifier : ISegmentClassifier
{
    public static AllSegmentClassifier Instance { get; } = new();

    public int Classify(DeviceInfo device, Span<string> segments) => 0;
}
