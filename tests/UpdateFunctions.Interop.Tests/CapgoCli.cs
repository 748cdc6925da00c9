namespace UpdateFunctions.Interop.Tests;

/// <summary>
/// The real <c>@capgo/cli</c>, installed (<see cref="InteropPackages"/>) in <c>tests/interop</c> at the version its
/// package-lock.json pins; the fixture checks that version.
/// </summary>
public sealed class CapgoCli
{
    public const string PinnedVersion = "8.68.1";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public CapgoCli()
    {
        InteropDirectory = InteropPackages.Directory;
        EntryPoint = Path.Combine(InteropDirectory, "node_modules", "@capgo", "cli", "dist", "index.js");
        InteropPackages.EnsureInstalled();
        var version = InteropPackages.Run("node", [EntryPoint, "--version"], InteropDirectory, Timeout);
        if (!version.Output.Contains(PinnedVersion, StringComparison.Ordinal))
            throw new InvalidOperationException($"Expected @capgo/cli {PinnedVersion}, got:\n{version.Output}");
    }

    public string InteropDirectory { get; }

    private string EntryPoint { get; }

    /// <summary>Runs <c>capgo ARGS</c> in <paramref name="workingDirectory"/> with stdin closed (it prompts otherwise).</summary>
    public CliResult Capgo(string workingDirectory, params string[] arguments) =>
        InteropPackages.Run("node", [EntryPoint, .. arguments], workingDirectory, Timeout);
}

public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

[CollectionDefinition(Name)]
public sealed class CapgoCliCollection : ICollectionFixture<CapgoCli>
{
    public const string Name = "Capgo CLI";
}
