using System.CommandLine;
using UpdateFunctions.Cli.Commands;

namespace UpdateFunctions.Cli;

/// <summary>Entry point of <c>updatectl</c>.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliEnvironment.FromProcess());

    /// <summary>
    /// Runs one command line against <paramref name="environment"/> and returns the exit code (see <see cref="ExitCodes"/>).
    /// Tests call this in process with their own writers, variables and HTTP clients.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        using var services = new CliServices(environment);
        var root = new CliApp(environment, services).Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await environment.Error.WriteLineAsync($"error: {error.Message}");
            foreach (var token in parse.UnmatchedTokens)
            {
                if (TypoSuggestions.Closest(parse.CommandResult.Command, token) is { } suggestion)
                    await environment.Error.WriteLineAsync($"Did you mean '{CommandPath(parse)} {suggestion}'?");
            }
            await environment.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            ProcessTerminationTimeout = environment.ProcessTerminationTimeout,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        names[0] = "updatectl";
        return string.Join(" ", names);
    }
}
