using System.Runtime.InteropServices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// The counters of one metrics key: a count per <see cref="MetricCounter"/> and a sketch of the distinct devices seen
/// running the key's bundle. A mutable accumulator (the fold adds to it in place); equality is by value.
/// </summary>
/// <remarks>
/// Gate maths (rollouts read these):
/// <list type="bullet">
/// <item><see cref="Attempts"/> = <c>set</c> + <c>set_fail</c> + <c>download_fail</c>: every update attempt a device
/// makes ends in exactly one of these reports — it got installed, it failed to install, or its download failed.</item>
/// <item><see cref="Failures"/> = <c>download_fail</c> + <c>set_fail</c> + <c>update_fail</c>: the terminal failures.
/// <c>update_fail</c> follows an earlier <c>set</c> of the same bundle (installed, then rolled back on launch).
/// The detail failures (<c>checksum_fail</c>, <c>decrypt_fail</c>, <c>unzip_fail</c>, the manifest failures …) are
/// reported by the plugin <em>together with</em> a <c>download_fail</c> for the same try, so they are a breakdown
/// (<see cref="FailureDetails"/>) and are not added again.</item>
/// <item><see cref="FailureRate"/> = <see cref="Failures"/> / <see cref="Attempts"/>, clamped to [0, 1] (a rollback
/// can land in a later hour than its install).</item>
/// <item><see cref="SuccessfulInstalls"/> = <c>set</c> − <c>update_fail</c>, and
/// <see cref="SuccessRate"/> = successful installs / (successful installs + failures) = 1 − <see cref="FailureRate"/>.</item>
/// </list>
/// </remarks>
public sealed class MetricCounters : IEquatable<MetricCounters>
{
    private static readonly MetricCounter[] FailureDetailCounters =
    [
        MetricCounter.DownloadManifestFileFail, MetricCounter.DownloadManifestChecksumFail,
        MetricCounter.DownloadManifestBrotliFail, MetricCounter.ManifestPathFail, MetricCounter.FinishDownloadFail,
        MetricCounter.ChecksumFail, MetricCounter.ChecksumRequired, MetricCounter.SessionKeyRequired,
        MetricCounter.DecryptFail, MetricCounter.UnzipFail, MetricCounter.WindowsPathFail,
        MetricCounter.CanonicalPathFail, MetricCounter.DirectoryPathFail, MetricCounter.LowMemFail,
        MetricCounter.InsufficientDiskSpace,
    ];

    private readonly long[] _counts;

    public MetricCounters()
        : this(new long[StatsActions.CounterCount], new HyperLogLog())
    {
    }

    private MetricCounters(long[] counts, HyperLogLog devices)
    {
        _counts = counts;
        Devices = devices;
    }

    /// <summary>Distinct devices seen running this key's bundle (<see cref="StatsActions.MarksActiveDevice"/>).</summary>
    public HyperLogLog Devices { get; }

    public long this[MetricCounter counter] => _counts[(int)counter];

    /// <summary>Every counter, indexed by <see cref="MetricCounter"/>.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Total events counted.</summary>
    public long Events
    {
        get
        {
            long total = 0;
            foreach (var count in _counts)
                total += count;
            return total;
        }
    }

    public long Installs => this[MetricCounter.Set];

    public long SuccessfulInstalls => Math.Max(0, Installs - this[MetricCounter.UpdateFail]);

    public long Attempts => Installs + this[MetricCounter.SetFail] + this[MetricCounter.DownloadFail];

    public long Failures => this[MetricCounter.DownloadFail] + this[MetricCounter.SetFail] + this[MetricCounter.UpdateFail];

    /// <summary>Detail failures (reported alongside a terminal failure; not part of <see cref="Failures"/>).</summary>
    public long FailureDetails
    {
        get
        {
            long total = 0;
            foreach (var counter in FailureDetailCounters)
                total += this[counter];
            return total;
        }
    }

    public long DownloadsCompleted => this[MetricCounter.DownloadComplete];

    public long Launches => this[MetricCounter.AppLaunchStart];

    /// <summary>Sessions started: <c>app_moved_to_foreground</c>.</summary>
    public long Sessions => this[MetricCounter.AppMovedToForeground];

    /// <summary>Crashes: native and web view crashes, ANRs and low-memory kills (JavaScript errors are not crashes).</summary>
    public long Crashes => this[MetricCounter.AppCrash] + this[MetricCounter.AppCrashNative] + this[MetricCounter.AppAnr]
        + this[MetricCounter.AppKilledLowMemory] + this[MetricCounter.WebviewRenderProcessGone];

    public long Others => this[MetricCounter.Other];

    /// <summary>Failures / attempts in [0, 1]; null without attempts.</summary>
    public double? FailureRate => Attempts == 0 ? null : Math.Clamp((double)Failures / Attempts, 0, 1);

    /// <summary>Successful installs / (successful installs + failures); null when both are zero.</summary>
    public double? SuccessRate
    {
        get
        {
            var denominator = SuccessfulInstalls + Failures;
            return denominator == 0 ? null : (double)SuccessfulInstalls / denominator;
        }
    }

    /// <summary>Estimated distinct devices seen running this key's bundle.</summary>
    public long UniqueDevices => Devices.Count();

    /// <summary>Counts one event. Allocation-free.</summary>
    public void Add(MetricCounter counter, ulong deviceHash)
    {
        _counts[(int)counter]++;
        if (StatsActions.MarksActiveDevice(counter))
            Devices.Add(deviceHash);
    }

    /// <summary>Counts one event.</summary>
    public void Add(StatsEvent statsEvent)
    {
        ArgumentNullException.ThrowIfNull(statsEvent);
        Add(StatsActions.Classify(statsEvent.Action), HyperLogLog.Hash(statsEvent.Device.DeviceId));
    }

    /// <summary>Adds <paramref name="other"/>'s counts and unions its sketch. Commutative and associative.</summary>
    public void Merge(MetricCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Devices.Merge(other.Devices);
    }

    public MetricCounters Clone() => new((long[])_counts.Clone(), Devices.Clone());

    /// <summary>Rebuilds counters read from storage; <paramref name="storedCounts"/> may be shorter than today's list.</summary>
    public static MetricCounters FromStored(ReadOnlySpan<long> storedCounts, HyperLogLog devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (storedCounts.Length > StatsActions.CounterCount)
            throw new ArgumentException($"At most {StatsActions.CounterCount} counters are known.", nameof(storedCounts));
        var counts = new long[StatsActions.CounterCount];
        storedCounts.CopyTo(counts);
        return new MetricCounters(counts, devices);
    }

    /// <summary>A copy of <paramref name="counters"/> merged together (empty counters when there are none).</summary>
    public static MetricCounters Sum(IEnumerable<MetricCounters> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var total = new MetricCounters();
        foreach (var item in counters)
            total.Merge(item);
        return total;
    }

    public bool Equals(MetricCounters? other) =>
        other is not null && _counts.AsSpan().SequenceEqual(other._counts) && Devices.Equals(other.Devices);

    public override bool Equals(object? obj) => Equals(obj as MetricCounters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(_counts.AsSpan()));
        hash.Add(Devices);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"events {Events}, installs {Installs}, failures {Failures}/{Attempts}, devices ~{UniqueDevices}";
}
