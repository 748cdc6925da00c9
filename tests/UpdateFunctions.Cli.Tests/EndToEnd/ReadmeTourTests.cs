using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using UpdateFunctions.Testing;
using Xunit.Abstractions;

namespace UpdateFunctions.Cli.Tests.EndToEnd;

/// <summary>
/// Runs the README's two 60-second tours as a newcomer would: every command of their <c>bash</c> blocks, in order, in
/// one shell, against a LocalHost process on Azurite with the demo seed, and compares each answer the README shows
/// (the <c># …</c> lines under a command) with what the command printed. In the shown answers <c>…</c> stands for
/// anything and <c>&lt;sha256&gt;</c> for 64 hex digits. The only departures: the <c>dotnet pack</c>/<c>dotnet tool
/// install</c> and <c>export PATH</c> lines are replaced by an <c>updatectl</c> on PATH that runs the CLI this build
/// made, and the server's port and the storage container are this test's own.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class ReadmeTourTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] TourHeadings = ["## 60-second tour (against `./run.sh`)", "## 60-second tour with `updatectl`"];
    private const string Marker = "@@README-TOUR-END@@";

    private readonly AzuriteFixture _storage = new();
    private readonly string _work = Directory.CreateTempSubdirectory("updatefunctions-readme-").FullName;
    private readonly int _port = FreePort();
    private Process? _host;

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        Directory.CreateDirectory(Path.Combine(_work, "bin"));
        var shim = Path.Combine(_work, "bin", "updatectl");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet \"{BuiltBy("UpdateFunctions.Cli", "updatectl.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[
            BuiltBy("UpdateFunctions.LocalHost", "UpdateFunctions.LocalHost.dll"),
            "--urls", $"http://127.0.0.1:{_port}", "--seed", RepoPaths.DemoSeed,
            "--LocalHost:BootstrapKeyFile", Path.Combine(_work, ".run", "bootstrap-key"),
            "--Storage:ConnectionString", _storage.ConnectionString, "--Storage:TablePrefix", _storage.TablePrefix,
            "--Storage:BundlesContainer", _storage.BundlesContainer, "--Logging:LogLevel:Default", "Warning"])
        {
            start.ArgumentList.Add(argument);
        }
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, _) => { };
        _host.ErrorDataReceived += (_, _) => { };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri($"http://127.0.0.1:{_port}/api/v1/openapi.json"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            Assert.False(_host.HasExited, "LocalHost exited before it listened");
            await Task.Delay(250);
        }
        Assert.Fail("LocalHost did not listen within 60 s");
    }

    public async Task DisposeAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }
        _host?.Dispose();
        await _storage.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_readme_tours_run_as_written_and_answer_what_the_readme_shows()
    {
        var steps = ReadTours(await File.ReadAllTextAsync(RepoPaths.Combine("README.md")));
        Assert.True(steps.Count >= 20, $"only {steps.Count} commands found in the README's tours");
        Assert.True(steps.Count(s => s.Expected is not null) >= 8, "the tours show fewer answers than they used to");

        var script = new StringBuilder();
        foreach (var step in steps)
            script.Append(Localise(step.Command)).Append("\n__status=$?; printf '\\n").Append(Marker).Append(" %s\\n' \"$__status\"\n");
        var (stdout, stderr) = await RunBashAsync(script.ToString());

        var outputs = stdout.Split("\n" + Marker + " ");
        var failures = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var printed = i == 0 ? outputs[0] : outputs[i][(outputs[i].IndexOf('\n') + 1)..];
            var status = i + 1 < outputs.Length ? outputs[i + 1].Split('\n')[0].Trim() : "(no status)";
            output.WriteLine($"$ {steps[i].Command}\n{printed.Trim()}\n[exit {status}]");
            if (status != "0")
                failures.Add($"`{steps[i].Command}` exited {status}");
            else if (steps[i].Expected is { } expected && !ExpectedPattern(expected).IsMatch(printed.Trim()))
                failures.Add($"`{steps[i].Command}`\n  README shows: {expected}\n  printed:      {printed.Trim()}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures) + "\n\nstderr:\n" + stderr);
    }

    /// <summary>A command of a tour, with the answer the README shows under it, if any.</summary>
    private sealed record Step(string Command, string? Expected);

    private static List<Step> ReadTours(string readme)
    {
        var steps = new List<Step>();
        foreach (var heading in TourHeadings)
        {
            var start = readme.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(start >= 0, $"the README has no section '{heading}'");
            var end = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            var section = readme[start..(end < 0 ? readme.Length : end)];
            foreach (Match block in BashBlock().Matches(section))
                steps.AddRange(ReadBlock(block.Groups[1].Value.Split('\n')));
        }
        return steps;
    }

    private static IEnumerable<Step> ReadBlock(string[] lines)
    {
        string? command = null;
        var expected = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                // A shown answer; a line after the first continues it.
                expected.Add(expected.Count == 0 ? line[1..].TrimStart(' ') : line[1..].Trim());
                continue;
            }
            if (command is not null)
                yield return new Step(command, expected.Count == 0 ? null : string.Concat(expected));
            (command, expected) = (null, []);
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var text = line;
            // A command goes on while a single quote is open or the line ends with a backslash.
            while ((text.Count(c => c == '\'') % 2 == 1 || text.EndsWith('\\')) && i + 1 < lines.Length)
                text += "\n" + lines[++i];
            if (text.StartsWith("dotnet ", StringComparison.Ordinal) || text.StartsWith("export PATH=", StringComparison.Ordinal))
                continue;
            command = text;
        }
        if (command is not null)
            yield return new Step(command, expected.Count == 0 ? null : string.Concat(expected));
    }

    /// <summary>The README's server and storage, as this test runs them.</summary>
    private string Localise(string text)
    {
        var blobs = new BlobServiceClient(_storage.ConnectionString).Uri.ToString().TrimEnd('/');
        return text
            .Replace("http://127.0.0.1:7071", $"http://127.0.0.1:{_port}", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:10000/devstoreaccount1/bundles/", $"{blobs}/{_storage.BundlesContainer}/", StringComparison.Ordinal)
            .Replace("…/com.", $"…/{_storage.BundlesContainer}/com.", StringComparison.Ordinal);
    }

    private Regex ExpectedPattern(string expected)
    {
        var pattern = Regex.Escape(Localise(expected))
            .Replace("…", ".*?", StringComparison.Ordinal)
            .Replace("<sha256>", "[0-9a-f]{64}", StringComparison.Ordinal);
        return new Regex("^" + pattern + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
    }

    private async Task<(string Stdout, string Stderr)> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = _work,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = Path.Combine(_work, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Path.Combine(_work, "home");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_work, "home", ".config");
        start.Environment.Remove("UPDATECTL_SERVER");
        start.Environment.Remove("UPDATECTL_KEY");
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await bash.WaitForExitAsync(timeout.Token);
        return (await stdout, await stderr);
    }

    /// <summary>
    /// A program as its own project built it (this test's configuration), with its own dependencies: the copy in this
    /// test's folder runs on the test's framework references, not the tool's.
    /// </summary>
    private static string BuiltBy(string project, string file)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return RepoPaths.Combine("functions", project, "bin", framework.Parent!.Name, framework.Name, file);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
