using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;

namespace UpdateFunctions.Interop.Tests;

/// <summary>
/// The real <c>@capgo/cli</c>, installed once per test run in <c>tests/interop</c> at the versions its package-lock.json
/// pins. Missing node or npm is a failure, never a skip: CI has both.
/// </summary>
/// <remarks>
/// <c>npm install --no-save</c> rather than <c>npm ci</c>: the CLI lists macOS-only helpers as optional dependencies that
/// this machine's registry does not serve, so the lock file cannot name them and <c>npm ci</c> refuses it as out of sync.
/// <c>install</c> follows the lock for everything it names, skips the missing optional packages and, with
/// <c>--no-save</c>, leaves the lock untouched; the fixture then checks the CLI's version.
/// </remarks>
public sealed class CapgoCli
{
    public const string PinnedVersion = "8.68.1";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public CapgoCli()
    {
        InteropDirectory = typeof(CapgoCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "InteropDirectory").Value!;
        EntryPoint = Path.Combine(InteropDirectory, "node_modules", "@capgo", "cli", "dist", "index.js");

        var npm = Run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"], InteropDirectory);
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"npm install in {InteropDirectory} failed ({npm.ExitCode}):\n{npm.Output}");
        var version = Run("node", [EntryPoint, "--version"], InteropDirectory);
        if (!version.Output.Contains(PinnedVersion, StringComparison.Ordinal))
            throw new InvalidOperationException($"Expected @capgo/cli {PinnedVersion}, got:\n{version.Output}");
    }

    public string InteropDirectory { get; }

    private string EntryPoint { get; }

    /// <summary>Runs <c>capgo ARGS</c> in <paramref name="workingDirectory"/> with stdin closed (it prompts otherwise).</summary>
    public CliResult Capgo(string workingDirectory, params string[] arguments) =>
        Run("node", [EntryPoint, .. arguments], workingDirectory);

    private static CliResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["CI"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"'{fileName}' did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{fileName}' is not installed or not on PATH: the Capgo interop tests need Node.js and npm.", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran longer than {Timeout}.");
            }
            process.WaitForExit();
            return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
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
