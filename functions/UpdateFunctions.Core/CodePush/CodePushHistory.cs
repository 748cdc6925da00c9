using System.Collections.Frozen;
using Semver;

namespace UpdateFunctions.Core.CodePush;

/// <summary>The releases of one channel, oldest first, with their ranges parsed once (not on every check).</summary>
public sealed class CodePushChannelHistory
{
    public CodePushChannelHistory(IEnumerable<CodePushRelease> releases)
    {
        ArgumentNullException.ThrowIfNull(releases);
        Releases = [.. releases.OrderBy(r => r.Number)];
        var ranges = new SemVersionRange?[Releases.Count];
        var byNumber = new Dictionary<int, int>();
        var byBundle = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Releases.Count; i++)
        {
            // A range that no longer parses (stored by hand) satisfies nothing rather than failing the check.
            ranges[i] = BinaryVersions.TryParseRange(Releases[i].TargetBinaryRange, out var range) ? range : null;
            byNumber[Releases[i].Number] = i;
            byBundle[Releases[i].Bundle] = i;
        }
        _ranges = ranges;
        _byNumber = byNumber.ToFrozenDictionary();
        _byBundle = byBundle.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private readonly SemVersionRange?[] _ranges;
    private readonly FrozenDictionary<int, int> _byNumber;
    private readonly FrozenDictionary<string, int> _byBundle;

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<CodePushRelease> Releases { get; }

    public SemVersionRange? RangeAt(int index) => _ranges[index];

    public CodePushRelease? FindByNumber(int number) =>
        _byNumber.TryGetValue(number, out var index) ? Releases[index] : null;

    /// <summary>Index of the newest release of <paramref name="bundle"/>, or -1.</summary>
    public int IndexOfBundle(string? bundle) =>
        bundle is not null && _byBundle.TryGetValue(bundle, out var index) ? index : -1;
}

/// <summary>The CodePush releases of one app, per channel, as loaded at <see cref="LoadedAt"/>.</summary>
public sealed class CodePushHistory
{
    public static readonly CodePushHistory Empty = new([], DateTimeOffset.MinValue);

    public CodePushHistory(IEnumerable<CodePushRelease> releases, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(releases);
        Channels = releases.GroupBy(r => r.Channel, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => new CodePushChannelHistory(g), StringComparer.Ordinal);
        LoadedAt = loadedAt;
    }

    public FrozenDictionary<string, CodePushChannelHistory> Channels { get; }

    public DateTimeOffset LoadedAt { get; }

    public CodePushChannelHistory? For(string channel) =>
        Channels.TryGetValue(channel, out var history) ? history : null;
}
