using System.Runtime.InteropServices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// The counters of one metrics key: a count per <see cref="MetricCounter"/> and a sketch of the distinct devices seen
/// running the key's bundle. A mutable accumulator (the fold adds to it in place); equality is by value.
/// </summary>
/// <remarks>
/// Gate maths (rollouts read these):
/// <list type="bullet">
/// <item><see cref="DownloadFailures"/> and <see cref="CheckFailures"/> split <c>download_fail</c>. The v8 plugin reports a
/// failed <em>update check</em> (a 429, a 503, no network, an unusable answer) as <c>download_fail</c> of the bundle the
/// device runs, and a failed download as <c>download_fail</c> of the bundle it was downloading; every download starts
/// with <c>download_zip_start</c> or <c>download_manifest_start</c> of that bundle, a failed check never does. So of a
/// key's <c>download_fail</c>s, at most (downloads started − <c>download_complete</c>) are failed downloads; the rest
/// are failed checks: the server's or the network's trouble, not the bundle's, and never read by a gate.</item>
/// <item><see cref="Attempts"/> = <c>set</c> + <c>set_fail</c> + failed downloads: every update attempt a device
/// makes ends in exactly one of these reports — it got installed, it failed to install, or its download failed.</item>
/// <item><see cref="Failures"/> = failed downloads + <c>set_fail</c> + <c>update_fail</c>: the terminal failures.
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

    // Made on the first update_fail: most keys never see one, and the fold keeps one counters object per key.
    private HyperLogLog? _rolledBack;

    public MetricCounters()
        : this(new long[StatsActions.CounterCount], new HyperLogLog(), null)
    {
    }

    private MetricCounters(long[] counts, HyperLogLog devices, HyperLogLog? rolledBack)
    {
        _counts = counts;
        Devices = devices;
        _rolledBack = rolledBack;
    }

    /// <summary>Distinct devices seen running this key's bundle (<see cref="StatsActions.MarksActiveDevice"/>).</summary>
    public HyperLogLog Devices { get; }

    /// <summary>
    /// Distinct devices that reported <c>update_fail</c> of this key's bundle: the plugin rolled them back to the bundle
    /// before, which it then reports with a <c>set</c>. They are taken off <see cref="UniqueDevices"/>.
    /// </summary>
    public HyperLogLog RolledBack => _rolledBack ??= new HyperLogLog(Devices.Precision);

    /// <summary>Whether any device was rolled back off this key's bundle.</summary>
    public bool HasRolledBack => _rolledBack is { IsEmpty: false };

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

    /// <summary>Downloads started: <c>download_zip_start</c> + <c>download_manifest_start</c>.</summary>
    public long DownloadsStarted => this[MetricCounter.DownloadZipStart] + this[MetricCounter.DownloadManifestStart];

    /// <summary>The <c>download_fail</c>s that can be failed downloads of this bundle: at most the downloads started and not completed.</summary>
    public long DownloadFailures => Math.Min(this[MetricCounter.DownloadFail], Math.Max(0, DownloadsStarted - this[MetricCounter.DownloadComplete]));

    /// <summary>The <c>download_fail</c>s of devices running this bundle whose update check failed (not counted as failures).</summary>
    public long CheckFailures => this[MetricCounter.DownloadFail] - DownloadFailures;

    public long Attempts => Installs + this[MetricCounter.SetFail] + DownloadFailures;

    public long Failures => DownloadFailures + this[MetricCounter.SetFail] + this[MetricCounter.UpdateFail];

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

    /// <summary>Estimated distinct devices seen running this key's bundle and not rolled back off it.</summary>
    public long UniqueDevices
    {
        get
        {
            if (!HasRolledBack)
                return Devices.Count();
            var either = Devices.Clone();
            either.Merge(RolledBack);
            return Math.Max(0, (long)Math.Round(either.Estimate() - RolledBack.Estimate(), MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>Estimated distinct devices seen running any bundle of the key (rolled back or not): adoption's denominator.</summary>
    public long ActiveDevices => Devices.Count();

    /// <summary>Counts one event. Allocation-free.</summary>
    public void Add(MetricCounter counter, ulong deviceHash)
    {
        _counts[(int)counter]++;
        if (StatsActions.MarksActiveDevice(counter))
            Devices.Add(deviceHash);
        else if (counter == MetricCounter.UpdateFail)
            RolledBack.Add(deviceHash);
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
        if (other.HasRolledBack)
            RolledBack.Merge(other._rolledBack!);
    }

    public MetricCounters Clone() => new((long[])_counts.Clone(), Devices.Clone(), _rolledBack?.Clone());

    /// <summary>Rebuilds counters read from storage; <paramref name="storedCounts"/> may be shorter than today's list.</summary>
    public static MetricCounters FromStored(ReadOnlySpan<long> storedCounts, HyperLogLog devices, HyperLogLog? rolledBack = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (storedCounts.Length > StatsActions.CounterCount)
            throw new ArgumentException($"At most {StatsActions.CounterCount} counters are known.", nameof(storedCounts));
        var counts = new long[StatsActions.CounterCount];
        storedCounts.CopyTo(counts);
        return new MetricCounters(counts, devices, rolledBack);
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
        other is not null && _counts.AsSpan().SequenceEqual(other._counts) && Devices.Equals(other.Devices)
           && (HasRolledBack ? other.HasRolledBack && _rolledBack!.Equals(other._rolledBack) : !other.HasRolledBack);

    public override bool Equals(object? obj) => Equals(obj as MetricCounters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(_counts.AsSpan()));
        hash.Add(Devices);
        hash.Add(HasRolledBack ? _rolledBack : null);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"events {Events}, installs {Installs}, failures {Failures}/{Attempts}, check failures {CheckFailures}, devices ~{UniqueDevices}";
}
