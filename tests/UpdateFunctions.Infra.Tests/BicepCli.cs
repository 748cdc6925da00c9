using System.Diagnostics;
using System.Reflection;

namespace UpdateFunctions.Infra.Tests;

/// <summary>What one run of the Bicep CLI printed.</summary>
public sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"bicep {Command} exited {ExitCode}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64, PackageDownload in the csproj); the
/// build records its path in the assembly. <c>BICEP_PATH</c> overrides it, e.g. for another OS.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string ExecutablePath { get; } = Locate();

    /// <summary>Runs bicep; <paramref name="unset"/> names environment variables the child must not see.</summary>
    public static async Task<BicepResult> RunAsync(string workingDirectory, IEnumerable<string> unset, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in unset)
            start.Environment.Remove(name);

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }
        return new BicepResult(string.Join(' ', arguments), process.ExitCode, await standardOutput, await standardError);
    }

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(attribute => attribute.Key == "BicepPath").Value;
        }
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Bicep CLI at '{path}'. Restore tests/UpdateFunctions.Infra.Tests (it downloads the NuGet package " +
                "Azure.Bicep.CommandLine.linux-x64) or set BICEP_PATH.");
        }
        if (!OperatingSystem.IsWindows())
        {
            // NuGet does not always keep the executable bit when it extracts a package.
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }
}
