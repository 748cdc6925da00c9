using System.CommandLine;

namespace UpdateFunctions.Cli.Commands;

/// <summary>The closest command or option to a mistyped one: <c>updatectl chanel list</c> → <c>channel</c>.</summary>
public static class TypoSuggestions
{
    /// <summary>
    /// The subcommand (or, for a token starting with <c>-</c>, the option) of <paramref name="command"/> nearest to
    /// <paramref name="token"/>, when it is near enough to be a typo: at most two edits, and fewer than half the token.
    /// </summary>
    public static string? Closest(Command command, string token)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(token);
        IEnumerable<string> candidates = token.StartsWith('-')
            ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var distance = Distance(token, candidate);
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return bestDistance > 0 && bestDistance <= 2 && bestDistance * 2 < token.Length ? best : null;
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) between two strings, ignoring case.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
