using System.CommandLine;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>app create|list|show|set</c>.</summary>
public static class AppCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("app", "Create, list and change apps");

        var createId = Rules.AppArgument("id");
        var createName = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var createDefault = new Option<string?>("--default-channel") { Description = "Channel devices get by default (created empty if missing)" }
            .Must(DeviceInfoReader.IsValidChannelName, Rules.Channel);
        var create = new Command("create", "Create an app (admin key)") { createId, createName, createDefault };
        app.Run(create, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var id = context.Value(createId);
            var request = new CreateAppRequest(id, context.Value(createName) ?? id, context.Value(createDefault));
            var created = await api.PostAsync("api/v1/apps", request, CliJson.Default.CreateAppRequest, CliJson.Default.AppDto, cancellationToken);
            Show(context, created);
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List the apps this key may see");
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var apps = await api.GetAsync("api/v1/apps", CliJson.Default.AppDtoArray, cancellationToken);
            if (context.Json)
                context.WriteJson(apps.Body);
            else
                context.WriteTable(["id", "name", "default channel", "key id", "created"],
                    apps.Value.Select(a => new[] { a.Id, a.Name, a.DefaultChannel, a.KeyId, Formats.Date(a.CreatedAt) }));
            return ExitCodes.Ok;
        });

        var showId = Rules.AppArgument("id");
        var show = new Command("show", "Show one app") { showId };
        app.Run(show, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            Show(context, await api.GetAsync($"api/v1/apps/{ManagementClient.Segment(context.Value(showId))}", CliJson.Default.AppDto, cancellationToken));
            return ExitCodes.Ok;
        });

        var setId = Rules.AppArgument("id");
        var setName = new Option<string?>("--name") { Description = "New display name" };
        var setDefault = new Option<string?>("--default-channel") { Description = "New default channel (must exist)" }
            .Must(DeviceInfoReader.IsValidChannelName, Rules.Channel);
        var setKey = new Option<FileInfo?>("--public-key-file") { Description = "PEM file with the RSA PUBLIC KEY for encrypted bundles" };
        var clearKey = new Option<bool>("--no-public-key") { Description = "Remove the public key (bundles are no longer encrypted)" };
        var set = new Command("set", "Change an app's name, default channel or encryption public key") { setId, setName, setDefault, setKey, clearKey };
        app.Run(set, async (context, cancellationToken) =>
        {
            var patch = new JsonObject();
            if (context.Value(setName) is { } name)
                patch["name"] = name;
            if (context.Value(setDefault) is { } channel)
                patch["defaultChannel"] = channel;
            if (context.Value(setKey) is not null && context.Value(clearKey))
                throw CliException.Usage("give --public-key-file or --no-public-key, not both.");
            if (context.Value(setKey) is { } keyFile)
            {
                if (!keyFile.Exists)
                    throw CliException.Usage($"{keyFile.FullName} does not exist.");
                patch["publicKey"] = (await File.ReadAllTextAsync(keyFile.FullName, cancellationToken)).Trim();
            }
            if (context.Value(clearKey))
                patch["publicKey"] = null;
            if (patch.Count == 0)
                throw CliException.Usage("nothing to change: give --name, --default-channel, --public-key-file or --no-public-key.");
            var api = await context.ConnectAsync(cancellationToken);
            Show(context, await api.SendJsonAsync(HttpMethod.Patch, $"api/v1/apps/{ManagementClient.Segment(context.Value(setId))}", patch, CliJson.Default.AppDto, cancellationToken));
            return ExitCodes.Ok;
        });

        command.Add(create);
        command.Add(list);
        command.Add(show);
        command.Add(set);
        return command;
    }

    private static void Show(CliContext context, ApiResponse<AppDto> app)
    {
        if (context.Json)
        {
            context.WriteJson(app.Body);
            return;
        }
        var a = app.Value;
        context.WriteFields(
            ("id", a.Id), ("name", a.Name), ("default channel", a.DefaultChannel),
            ("public key", a.PublicKey is null ? "none" : "set"), ("key id", a.KeyId), ("created", Formats.Date(a.CreatedAt)));
    }
}
