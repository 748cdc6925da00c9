using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;

namespace UpdateFunctions.Interop.Tests;

/// <summary>
/// The npm packages of <c>tests/interop</c> (<c>@capgo/cli</c>, <c>code-push</c>), installed once per test run at the
/// versions its package-lock.json pins, and a way to run Node. Missing node or npm is a failure, never a skip: CI has both.
/// </summary>
/// <remarks>
/// <c>npm install --no-save</c> rather than <c>npm ci</c>: the Capgo CLI lists macOS-only helpers as optional dependencies
/// that this machine's registry does not serve, so the lock file cannot name them and <c>npm ci</c> refuses it as out of
/// sync. <c>install</c> follows the lock for everything it names, skips the missing optional packages and, with
/// <c>--no-save</c>, leaves the lock untouched. Once per process, so fixtures running in parallel never install twice.
/// </remarks>
public static class InteropPackages
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<bool> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory { get; } = typeof(InteropPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InteropDirectory").Value!;

    public static void EnsureInstalled() => _ = Installed.Value;

    private static bool Install()
    {
        var npm = Run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"], Directory, InstallTimeout);
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"npm install in {Directory} failed ({npm.ExitCode}):\n{npm.Output}");
        return true;
    }

    /// <summary>Runs a program to its end with <paramref name="input"/> on stdin (closed after it).</summary>
    public static CliResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? input = null)
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
                $"'{fileName}' is not installed or not on PATH: the interop tests need Node.js and npm.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran longer than {timeout}.");
            }
            process.WaitForExit();
            return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
