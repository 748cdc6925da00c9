namespace UpdateFunctions.Cli.Tests.Support;

/// <summary>What one in-process run of updatectl gave.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>
/// Runs <see cref="Program.RunAsync"/> in process with a private config dir (<c>XDG_CONFIG_HOME</c> in a temp
/// folder), chosen environment variables, and captured output. Disposing removes the temp folder.
/// </summary>
public sealed class CliRun : IDisposable
{
    private readonly Dictionary<string, string?> _variables = new(StringComparer.Ordinal);

    public CliRun()
    {
        Home = Directory.CreateTempSubdirectory("updatectl-test-").FullName;
        _variables["XDG_CONFIG_HOME"] = Path.Combine(Home, "config");
        _variables["HOME"] = Home;
    }

    public string Home { get; }

    public string ConfigPath => Path.Combine(Home, "config", "updatectl", "config.json");

    public HttpClient? ApiClient { get; init; }

    public HttpClient? BlobClient { get; init; }

    /// <summary>Runs as in a terminal: colours and the live progress bar.</summary>
    public bool Interactive { get; init; }

    public CliRun With(string name, string? value)
    {
        _variables[name] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            GetVariable = name => _variables.GetValueOrDefault(name),
            ApiClient = ApiClient,
            BlobClient = BlobClient,
            Interactive = Interactive,
        };
        var exitCode = await Program.RunAsync(args, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
