namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>The run's summary: rounds, flushed stats, bundles and reasons tallied.</summary>
public sealed partial class DeviceFleet
{
    private SimulationSummary Summarize(List<RoundSummary> rounds, List<DeviceOutcome> flushed, bool completed, TimeSpan elapsed)
    {
        var bundles = new SortedDictionary<string, BundleTally>(VersionOrder.Instance);
        foreach (var (version, tally) in rounds.SelectMany(r => r.Bundles))
            bundles[version] = bundles.GetValueOrDefault(version, BundleTally.Zero).Add(tally);
        return new SimulationSummary(
            Url: _options.ServerUrl.ToString(),
            AppId: _options.AppId,
            Devices: Devices.Count,
            Seed: _options.Seed,
            Rounds: rounds.Count,
            Seconds: Math.Round(elapsed.TotalSeconds, 3),
            Completed: completed,
            Checks: rounds.Sum(r => r.Checks),
            Offered: rounds.Sum(r => r.Offered),
            Installed: rounds.Sum(r => r.Installed),
            Failed: rounds.Sum(r => r.Failed),
            UpToDate: rounds.Sum(r => r.UpToDate),
            Refused: rounds.Sum(r => r.Refused),
            RateLimited: rounds.Sum(r => r.RateLimited) + flushed.Sum(o => o.RateLimitedCalls),
            Errors: rounds.Sum(r => r.Errors) + flushed.Sum(o => o.Errors.Count),
            Versions: VersionOrder.Count(Devices.Select(d => d.VersionName)),
            Bundles: bundles,
            Refusals: Sum(rounds.Select(r => r.Refusals)),
            ErrorReasons: Sum(rounds.Select(r => r.ErrorReasons).Append(CountReasons(flushed.SelectMany(o => o.Errors)))),
            Stats: rounds.Select(r => r.Stats).Concat(flushed.Select(o => o.Stats)).Aggregate(StatsTally.Zero, (sum, s) => sum.Add(s)),
            PendingStats: Devices.Sum(d => d.PendingStats.Count));
    }

    private static SortedDictionary<string, BundleTally> TallyBundles(IEnumerable<DeviceOutcome> outcomes)
    {
        var bundles = new SortedDictionary<string, BundleTally>(VersionOrder.Instance);
        foreach (var outcome in outcomes)
        {
            if (outcome is { Offered: { } version, Bundle: { } tally })
                bundles[version] = bundles.GetValueOrDefault(version, BundleTally.Zero).Add(tally);
            if (outcome.ReportedFailureOf is { } running)
                bundles[running] = bundles.GetValueOrDefault(running, BundleTally.Zero).Add(new BundleTally(0, 0, 0, 0, CheckFailed: 1));
        }
        return bundles;
    }

    private static SortedDictionary<string, int> CountReasons(IEnumerable<string> reasons)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var reason in reasons)
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        return counts;
    }

    private static SortedDictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var total = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in counts.SelectMany(c => c))
            total[key] = total.GetValueOrDefault(key) + value;
        return total;
    }
}
