using System.CommandLine;
using System.Text.Json;

namespace UpdateFunctions.Cli.Commands;

/// <summary>Builds the <c>updatectl</c> command tree and runs each command's action with uniform error handling.</summary>
public sealed class CliApp(CliEnvironment environment, CliServices services)
{
    public GlobalOptions Globals { get; } = new();

    public RootCommand Build()
    {
        var root = new RootCommand("updatectl — manage an UpdateFunctions live-update server (apps, channels, bundles, devices, keys).")
        {
            Globals.Server,
            Globals.Key,
            Globals.Json,
        };
        foreach (var command in LoginCommands.Build(this))
            root.Add(command);
        root.Add(AppCommands.Build(this));
        root.Add(ChannelCommands.Build(this));
        root.Add(BundleCommands.Build(this));
        root.Add(DeviceCommands.Build(this));
        root.Add(KeyCommands.Build(this));
        root.Add(EncryptionCommands.Build(this));
        root.Add(AuditCommand.Build(this));
        root.Add(MetricsCommand.Build(this));
        root.Add(SegmentCommands.Build(this));
        root.Add(RolloutCommands.Build(this));
        root.Add(CodePushCommands.Build(this));
        return root;
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action: expected failures print <c>error: message (code)</c> on stderr and
    /// exit with their code; anything else is a bug and exits 1 with its message.
    /// </summary>
    public void Run(Command command, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = new CliContext(environment, services, Globals, parse);
            try
            {
                return await action(context, cancellationToken);
            }
            catch (CliException ex)
            {
                // A key the server no longer knows (a new ./run.sh key, a revoked one): say how to get going again.
                var hint = ex.Code is "unauthorized" or "http_401" && command.Name != "login"
                    ? "; log in again with 'updatectl login <server> --key <key>' (./run.sh keeps its key in .run/bootstrap-key)"
                    : "";
                await environment.Error.WriteLineAsync($"error: {ex.Message}{hint} ({ex.Code})");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await environment.Error.WriteLineAsync("error: cancelled (cancelled)");
                return 130;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                await environment.Error.WriteLineAsync($"error: {ex.Message} ({ex.GetType().Name})");
                return ExitCodes.Error;
            }
        });
}
