using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>How one segment fares on one bundle of one channel since a point in time: what rollout gates read.</summary>
/// <param name="Attempts">Update attempts: installs plus failed installs and downloads (see <see cref="MetricCounters.Attempts"/>).</param>
/// <param name="Failures">Failed attempts: <c>update_fail</c>, <c>set_fail</c> and failed downloads (<see cref="MetricCounters.DownloadFailures"/>).</param>
/// <param name="CheckFailures">Failed update checks of devices running the bundle (<see cref="MetricCounters.CheckFailures"/>): shown, never judged.</param>
public sealed record SegmentHealth(string Channel, string Bundle, string Segment, long Attempts, long Failures, long Installs, long UniqueDevices, long CheckFailures = 0)
{
    public double? FailureRate => Attempts == 0 ? null : Math.Clamp((double)Failures / Attempts, 0, 1);
}
