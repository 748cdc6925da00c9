using System.CommandLine;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Cli.Configuration;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>login</c>, <c>logout</c> and <c>whoami</c>.</summary>
public static class LoginCommands
{
    public static IEnumerable<Command> Build(CliApp app)
    {
        var url = new Argument<string>("server-url") { Description = "Base URL of the server, e.g. http://127.0.0.1:7071" };
        var login = new Command("login", "Check a server URL and API key (GET /api/v1/whoami), then store both in the config file (mode 600) and say which key it is") { url };
        app.Run(login, async (context, cancellationToken) =>
        {
            var server = ConfigStore.ParseServer(context.Value(url));
            var key = context.KeyOption is { Length: > 0 } option ? option
                : context.Environment.GetVariable(ConfigStore.KeyVariable) is { Length: > 0 } variable ? variable
                : throw CliException.Usage($"give the API key with --key (or {ConfigStore.KeyVariable}).");
            var client = new ManagementClient(context.ApiHttp, server, key.Trim());
            var me = (await client.GetAsync("api/v1/whoami", CliJson.Default.WhoAmIDto, cancellationToken)).Value;
            var stored = server.AbsoluteUri.TrimEnd('/');
            await context.Config.WriteAsync(new CliConfig(stored, key.Trim()), cancellationToken);
            if (context.Json)
                context.WriteJson(new JsonObject { ["server"] = stored, ["config"] = context.Config.Path, ["key"] = me.Id, ["role"] = me.Role }.ToJsonString());
            else
                context.Note($"Logged in to {stored} as {me.Name ?? me.Id} (role {me.Role}, apps: {KeyCommands.Apps(me.Apps)}"
                    + (me.ExpiresAt is { } expires ? $", expires {Formats.Date(expires)}" : "") + $"); saved to {context.Config.Path}");
            return ExitCodes.Ok;
        });

        var logout = new Command("logout", "Remove the stored server URL and key");
        app.Run(logout, (context, _) =>
        {
            var removed = context.Config.Delete();
            if (context.Json)
                context.WriteJson(new JsonObject { ["removed"] = removed, ["config"] = context.Config.Path }.ToJsonString());
            else
                context.Note(removed ? $"Logged out; removed {context.Config.Path}" : $"Not logged in ({context.Config.Path} does not exist)");
            return Task.FromResult(ExitCodes.Ok);
        });

        var whoami = new Command("whoami", "Show the key in use: id, name, role, the apps it is limited to and its expiry (GET /api/v1/whoami)");
        app.Run(whoami, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var me = await api.GetAsync("api/v1/whoami", CliJson.Default.WhoAmIDto, cancellationToken);
            if (context.Json)
                context.WriteJson(me.Body);
            else
                context.WriteFields(("id", me.Value.Id), ("name", me.Value.Name), ("role", me.Value.Role),
                    ("apps", KeyCommands.Apps(me.Value.Apps)), ("expires", Formats.Date(me.Value.ExpiresAt) ?? "never"));
            return ExitCodes.Ok;
        });

        return [login, logout, whoami];
    }
}
