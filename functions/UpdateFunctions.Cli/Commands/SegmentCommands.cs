using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Segments;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>segment list|show|set|delete|match</c>: named device groups for metrics and rollouts.</summary>
public static class SegmentCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("segment", "Define device segments (beta testers, enterprise tenants…) and see why a device is in one");
        command.Add(List(app));
        command.Add(Show(app));
        command.Add(Set(app));
        command.Add(Delete(app));
        command.Add(Match(app));
        return command;
    }

    private static Argument<string> NameArgument() =>
        new Argument<string>("name") { Description = "Segment name" }.Must(SegmentDefinition.IsValidName, "a segment name: letters, digits, '.', '_', '-', not 'all'");

    private static string SegmentsPath(string app) => $"api/v1/apps/{ManagementClient.Segment(app)}/segments";

    private static Command List(CliApp app)
    {
        var appId = Rules.AppArgument();
        var list = new Command("list", "List an app's segments") { appId };
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Get, SegmentsPath(context.Value(appId)), null, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(body);
                return ExitCodes.Ok;
            }
            context.WriteTable(["name", "match", "conditions", "description"],
                JsonNode.Parse(body)!.AsArray().Select(s => new[]
                {
                    s!["name"]?.GetValue<string>(), s["match"]?.GetValue<string>(),
                    s["conditions"]!.AsArray().Count.ToString(System.Globalization.CultureInfo.InvariantCulture), s["description"]?.GetValue<string>(),
                }));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Show(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = NameArgument();
        var show = new Command("show", "Print a segment's definition (JSON)") { appId, name };
        app.Run(show, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Get, $"{SegmentsPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(name))}", null, cancellationToken);
            context.WriteJson(body);
            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command Set(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = NameArgument();
        var file = new Option<string>("--file") { Description = "JSON definition: {\"match\":\"all|any\",\"conditions\":[{\"customIdPrefix\":\"ent-\"},…]}", Required = true };
        var set = new Command("set", "Create or replace a segment from a JSON file (checked here before it is sent)") { appId, name, file };
        app.Run(set, async (context, cancellationToken) =>
        {
            var path = context.Value(file);
            if (!File.Exists(path))
                throw CliException.Usage($"{path} does not exist.");
            var json = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject
                ?? throw CliException.Usage($"{path} must hold a JSON object.");
            json["name"] ??= context.Value(name);
            // The server checks again; checking here gives the reason before any call.
            if (!SegmentJson.TryParse(json.ToJsonString(), out _, out var error))
                throw CliException.Usage($"{path}: {error}.");
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Put, $"{SegmentsPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(name))}",
                new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
            context.WriteJson(body);
            return ExitCodes.Ok;
        });
        return set;
    }

    private static Command Delete(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = NameArgument();
        var delete = new Command("delete", "Delete a segment") { appId, name };
        app.Run(delete, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync($"{SegmentsPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(name))}", cancellationToken);
            context.Note($"Deleted segment {context.Value(name)}");
            return ExitCodes.Ok;
        });
        return delete;
    }

    private static Command Match(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = NameArgument();
        var device = new Option<string>("--device-info") { Description = "JSON file with the device info the plugin sends (app_id, device_id, platform, version_name, version_build, custom_id…)", Required = true };
        var match = new Command("match", "Explain whether a device is in the segment, condition by condition") { appId, name, device };
        app.Run(match, async (context, cancellationToken) =>
        {
            var path = context.Value(device);
            if (!File.Exists(path))
                throw CliException.Usage($"{path} does not exist.");
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Post, $"{SegmentsPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(name))}/match",
                new StringContent(await File.ReadAllTextAsync(path, cancellationToken), Encoding.UTF8, "application/json"), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(body);
                return ExitCodes.Ok;
            }
            var result = JsonNode.Parse(body)!;
            context.Note($"{context.Value(name)}: {(result["matched"]!.GetValue<bool>() ? "matched" : "not matched")} (channel {result["channel"]?.GetValue<string>() ?? "none"})");
            context.WriteTable(["condition", "holds"], result["conditions"]!.AsArray()
                .Select(c => new[] { c!["condition"]!.GetValue<string>(), c["holds"]!.GetValue<bool>() ? "yes" : "no" }));
            return ExitCodes.Ok;
        });
        return match;
    }
}
