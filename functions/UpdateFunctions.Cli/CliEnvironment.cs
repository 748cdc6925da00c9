namespace UpdateFunctions.Cli;

/// <summary>
/// Everything the CLI takes from its surroundings: output streams, environment variables and HTTP clients.
/// <see cref="FromProcess"/> is the real process; tests build one with writers, variables and clients of their own
/// (for instance a <c>WebApplicationFactory</c> client for the API and a plain client for the blob upload).
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Results (tables, JSON) go here.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Errors, warnings and progress go here, so <c>--json</c> output stays clean on <see cref="Out"/>.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable (<c>UPDATECTL_SERVER</c>, <c>UPDATECTL_KEY</c>, <c>XDG_CONFIG_HOME</c>, <c>HOME</c>).</summary>
    public Func<string, string?> GetVariable { get; init; } = static _ => null;

    /// <summary>Client for the management API; null → one is created for the run.</summary>
    public HttpClient? ApiClient { get; init; }

    /// <summary>Client for the PUTs to the upload SAS URL (Blob storage); null → one is created for the run.</summary>
    public HttpClient? BlobClient { get; init; }

    /// <summary>Whether the terminal is interactive: colours and a live progress bar.</summary>
    public bool Interactive { get; init; }

    /// <summary>Set for the real process, so Ctrl+C cancels the running command.</summary>
    public TimeSpan? ProcessTerminationTimeout { get; init; }

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        GetVariable = Environment.GetEnvironmentVariable,
        Interactive = !Console.IsErrorRedirected && !Console.IsOutputRedirected,
        ProcessTerminationTimeout = TimeSpan.FromSeconds(2),
    };
}
