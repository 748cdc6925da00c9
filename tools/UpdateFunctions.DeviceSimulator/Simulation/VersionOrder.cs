using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>Orders bundle names for display: <c>builtin</c> first, then versions by semver precedence, then anything else.</summary>
public sealed class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null || y is null)
            return x is null ? -1 : 1;
        var rank = Rank(x).CompareTo(Rank(y));
        if (rank != 0)
            return rank;
        if (BundleVersion.TryParse(x, out var left) && BundleVersion.TryParse(y, out var right))
        {
            var order = BundleVersion.Compare(left, right);
            if (order != 0)
                return order;
        }
        return string.CompareOrdinal(x, y);
    }

    private static int Rank(string name) =>
        name == BundleVersion.Builtin ? 0 : BundleVersion.IsValid(name) ? 1 : 2;

    /// <summary>Counts of <paramref name="names"/>, in this order.</summary>
    public static SortedDictionary<string, int> Count(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var counts = new SortedDictionary<string, int>(Instance);
        foreach (var name in names)
            counts[name] = counts.GetValueOrDefault(name) + 1;
        return counts;
    }
}
