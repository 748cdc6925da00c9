using System.CommandLine;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>key create|list|revoke</c> (admin key).</summary>
public static class KeyCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("key", "Create, list and revoke API keys (admin)");
        command.Add(Create(app));
        command.Add(List(app));
        command.Add(Revoke(app));
        return command;
    }

    private static Command Create(CliApp app)
    {
        var name = new Option<string?>("--name") { Description = "What the key is for, e.g. ci-upload", Required = true };
        var role = new Option<string?>("--role") { Description = "read < upload < write < admin (each includes the ones before)", Required = true, HelpName = "read|upload|write|admin" };
        role.AcceptOnlyFromAmong("read", "upload", "write", "admin");
        var apps = new Option<string[]>("--app") { Description = "Limit the key to this app (repeat for several)", AllowMultipleArgumentsPerToken = false };
        apps.Validators.Add(result =>
        {
            foreach (var id in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!DeviceInfoReader.IsValidAppId(id))
                    result.AddError($"'{id}' is not {Rules.AppId}.");
            }
        });
        var expires = Rules.DateOption("--expires", "Expiry, e.g. 2027-01-01 (UTC)");
        var create = new Command("create", "Create an API key; its secret is printed once") { name, role, apps, expires };
        app.Run(create, async (context, cancellationToken) =>
        {
            var appIds = context.Value(apps) is { Length: > 0 } list ? list : null;
            var request = new CreateKeyRequest(context.Value(name)!, context.Value(role)!, appIds, context.Value(expires));
            var api = await context.ConnectAsync(cancellationToken);
            var created = await api.PostAsync("api/v1/keys", request, CliJson.Default.CreateKeyRequest, CliJson.Default.CreatedKeyDto, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(created.Body);
            }
            else
            {
                var k = created.Value;
                context.WriteFields(("id", k.Id), ("name", k.Name), ("role", k.Role), ("apps", Apps(k.Apps)), ("expires", Formats.Date(k.ExpiresAt) ?? "never"));
                context.Environment.Out.WriteLine();
                context.Environment.Out.WriteLine(k.Key ?? "(the server returned no key)");
            }
            context.Warn("this is the only time the key is shown: store it now (only its hash is kept on the server).");
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command List(CliApp app)
    {
        var list = new Command("list", "List API keys (without secrets)");
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var keys = await api.GetAsync("api/v1/keys", CliJson.Default.KeyDtoArray, cancellationToken);
            if (context.Json)
                context.WriteJson(keys.Body);
            else
                context.WriteTable(["id", "name", "role", "apps", "expires", "created"],
                    keys.Value.Select(k => new[] { k.Id, k.Name, k.Role, Apps(k.Apps), Formats.Date(k.ExpiresAt) ?? "never", Formats.Date(k.CreatedAt) }));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Revoke(CliApp app)
    {
        var id = new Argument<string>("id") { Description = "Key id (from key list)" };
        var revoke = new Command("revoke", "Revoke a key (effective everywhere within the snapshot refresh interval)") { id };
        app.Run(revoke, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync($"api/v1/keys/{ManagementClient.Segment(context.Value(id))}", cancellationToken);
            context.Note($"Revoked key {context.Value(id)}");
            return ExitCodes.Ok;
        });
        return revoke;
    }

    internal static string Apps(IReadOnlyList<string>? apps) => apps is { Count: > 0 } ? string.Join(", ", apps) : "all";
}
