using System.Diagnostics;
using System.Reflection;

namespace UpdateFunctions.Infra.Tests;

/// <summary>What one run of the Bicep CLI printed.</summary>
public sealed record BicepRun(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything a command meant only to check printed: diagnostics (warnings, errors, infos), one per line.</summary>
    public string Diagnostics => string.Join(Environment.NewLine, new[] { StandardOutput, StandardError }
        .Select(text => text.Trim())
        .Where(text => text.Length > 0));
}

/// <summary>
/// The Bicep CLI restored from NuGet by this project (tools/bicep/Bicep.props): the path MSBuild saw at build time,
/// else the package in <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>. <c>BICEP_CLI_PATH</c> overrides both.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // Variables the parameters file reads (readEnvironmentVariable): unset, so every run sees the defaults.
    private static readonly string[] ClearedVariables = ["AZURE_ENV_NAME", "MANAGEMENT_BOOTSTRAP_KEY"];

    public static string Path { get; } = Locate();

    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var variable in ClearedVariables)
            start.Environment.Remove(variable);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("BICEP_CLI_PATH") is { Length: > 0 } overridden)
            candidates.Add(overridden);
        if (Metadata("BicepCliPath") is { Length: > 0 } restored)
            candidates.Add(restored);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Metadata("BicepCliPackageId") is { Length: > 0 } id && Metadata("BicepCliVersion") is { Length: > 0 } version)
            candidates.Add(System.IO.Path.Combine(packages, id.ToLowerInvariant(), version, "tools", "bicep"));

        var found = candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "The Bicep CLI was not found; it is restored with this test project (tools/bicep/Bicep.props). Looked at: "
            + string.Join(", ", candidates));
        EnsureExecutable(found);
        return found;
    }

    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        // NuGet keeps the package's file modes; should an extraction lose the execute bit, put it back.
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    private static string? Metadata(string key) => typeof(BicepCli).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(attribute => attribute.Key == key)?.Value;
}
