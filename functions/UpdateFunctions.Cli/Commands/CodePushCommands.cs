using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Cli.Bundles;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Versions;
using CreateBundleRequest = UpdateFunctions.Core.Management.CreateBundleRequest;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>codepush release|releases|patch|rollback|key</c>: React Native apps (docs/codepush.md).</summary>
public static class CodePushCommands
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    public static Command Build(CliApp app)
    {
        var command = new Command("codepush", "Release to React Native apps (react-native-code-push) and manage their deployment keys");
        command.Add(Release(app));
        command.Add(Releases(app));
        command.Add(Patch(app));
        command.Add(Rollback(app));
        command.Add(Keys(app));
        return command;
    }

    private static string AppPath(string app) => $"api/v1/apps/{ManagementClient.Segment(app)}";

    private static Command Release(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelArgument();
        var path = new Argument<string>("path") { Description = "The bundle output folder (zipped deterministically) or a .zip of it" };
        var target = new Option<string?>("--target-binary") { Description = "Binary versions it is for: an npm range such as 1.2.x, ^1.2.0, \">=1.0.0 <2.0.0\"", Required = true }
            .Must(r => BinaryVersions.TryParseRange(r, out _), "an npm semver range (1.2.x, ^1.2.0, >=1.0.0 <2.0.0)");
        var mandatory = new Option<bool>("--mandatory") { Description = "Devices must install it (and every later release, if they skip it)" };
        var disabled = new Option<bool>("--disabled") { Description = "Release it disabled: no device gets it until enabled (codepush patch)" };
        var description = new Option<string?>("--description") { Description = "Release notes the app can show" };
        var rollout = new Option<int?>("--rollout") { Description = "Start a staged rollout at this percentage (1-100) instead of releasing to everyone" };
        rollout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } percent && percent is < 1 or > 100)
                result.AddError("--rollout is a percentage from 1 to 100.");
        });
        var version = new Option<string?>("--bundle-version") { Description = "Version of the bundle it uploads (default: 0.0.0-codepush.<content hash>)" }
            .Must(BundleVersion.IsValid, Rules.Version);
        var release = new Command("release", "Zip, upload (with progress) and commit a bundle, then release it to a channel's React Native devices")
        {
            appId, channel, path, target, mandatory, disabled, description, rollout, version,
        };
        app.Run(release, async (context, cancellationToken) =>
        {
            var appValue = context.Value(appId);
            var api = await context.ConnectAsync(cancellationToken);
            await using var file = await BundleFile.OpenAsync(context.Value(path), cancellationToken);
            var bundleVersion = context.Value(version) ?? $"0.0.0-codepush.z{file.Sha256[..16]}";
            var bundles = $"{AppPath(appValue)}/bundles";
            var (status, body) = await api.SendRawAsync(HttpMethod.Post, bundles,
                Content(new CreateBundleRequest(bundleVersion, file.Size, file.Sha256, Comment: context.Value(description)), ManagementJsonContext.Default.CreateBundleRequest),
                cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                // 201: a ticket to upload; 200 means these bytes are committed under this version already.
                var ticket = JsonSerializer.Deserialize(body, ManagementJsonContext.Default.UploadTicketDto)!;
                await BundleCommands.SendAsync(context, file, ticket.UploadUrl, cancellationToken);
                await api.SendRawAsync(HttpMethod.Post, $"{bundles}/{ManagementClient.Segment(bundleVersion)}/commit", null, cancellationToken);
            }
            var request = new CreateCodePushReleaseRequest(context.Value(channel), bundleVersion, context.Value(target),
                context.Value(mandatory), context.Value(disabled), context.Value(description), context.Value(rollout));
            var created = await api.SendAsync(HttpMethod.Post, $"{AppPath(appValue)}/codepush/releases",
                Content(request, Json.CreateCodePushReleaseRequest), Json.CodePushReleaseDto, cancellationToken);
            Write(context, created, r => context.WriteFields(
                ("app", appValue), ("channel", r.Channel), ("label", r.Label), ("bundle", r.Bundle), ("target binary", r.TargetBinary),
                ("package hash", r.PackageHash), ("size", Formats.Size(r.Size)), ("mandatory", Formats.Flag(r.Mandatory)),
                ("disabled", Formats.Flag(r.Disabled)), ("rollout", r.Rollout is { } id ? $"{id} at {context.Value(rollout)} %" : "everyone")));
            return ExitCodes.Ok;
        });
        return release;
    }

    private static Command Releases(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelOption("Only this channel's releases");
        var list = new Command("releases", "List an app's CodePush releases, newest first per channel") { appId, channel };
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var query = context.Value(channel) is { } name ? $"?channel={Uri.EscapeDataString(name)}" : "";
            var releases = await api.GetAsync($"{AppPath(context.Value(appId))}/codepush/releases{query}", Json.ListCodePushReleaseDto, cancellationToken);
            Write(context, releases, list => context.WriteTable(
                ["channel", "label", "bundle", "target binary", "hash", "size", "mandatory", "disabled", "current", "released", "description"],
                list.Select(r => new[]
                {
                    r.Channel, r.Label, r.Bundle, r.TargetBinary, Formats.Abbreviate(r.PackageHash), Formats.Size(r.Size), Formats.Flag(r.Mandatory),
                    r.RolledBack ? "rolled back" : Formats.Flag(r.Disabled), Formats.Flag(r.Current), Formats.Date(r.CreatedAt), r.Description,
                })));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Patch(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelArgument();
        var label = new Argument<string>("label") { Description = "Release label, e.g. v3" }.Must(l => CodePushRelease.TryParseLabel(l, out _), "a release label (v1, v2…)");
        var mandatory = new Option<bool?>("--mandatory") { Description = "true or false" };
        var disabled = new Option<bool?>("--disabled") { Description = "true (no device gets it) or false" };
        var description = new Option<string?>("--description") { Description = "New release notes" };
        var target = new Option<string?>("--target-binary") { Description = "New npm range of binary versions" }
            .Must(r => r is null || BinaryVersions.TryParseRange(r, out _), "an npm semver range (1.2.x, ^1.2.0, >=1.0.0 <2.0.0)");
        var patch = new Command("patch", "Change a release: mandatory, disabled, description, target binary range")
        {
            appId, channel, label, mandatory, disabled, description, target,
        };
        app.Run(patch, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var request = new PatchCodePushReleaseRequest(context.Value(mandatory), context.Value(disabled), context.Value(description), context.Value(target));
            var changed = await api.SendAsync(HttpMethod.Patch,
                $"{AppPath(context.Value(appId))}/codepush/releases/{ManagementClient.Segment(context.Value(channel))}/{context.Value(label)}",
                Content(request, Json.PatchCodePushReleaseRequest), Json.CodePushReleaseDto, cancellationToken);
            Write(context, changed, r => context.WriteFields(("label", r.Label), ("target binary", r.TargetBinary),
                ("mandatory", Formats.Flag(r.Mandatory)), ("disabled", Formats.Flag(r.Disabled)), ("description", r.Description)));
            return ExitCodes.Ok;
        });
        return patch;
    }

    private static Command Rollback(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelArgument();
        var to = new Option<string?>("--to") { Description = "The release to go back to (default: the previous enabled one)" }
            .Must(l => l is null || CodePushRelease.TryParseLabel(l, out _), "a release label (v1, v2…)");
        var rollback = new Command("rollback", "Make the previous release current again; the ones stepped back over are never served again") { appId, channel, to };
        app.Run(rollback, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var query = context.Value(to) is { } label ? $"?to={label}" : "";
            var current = await api.SendAsync(HttpMethod.Post,
                $"{AppPath(context.Value(appId))}/codepush/channels/{ManagementClient.Segment(context.Value(channel))}/rollback{query}",
                null, Json.CodePushReleaseDto, cancellationToken);
            Write(context, current, r => context.Note($"{r.Channel} serves {r.Label} ({r.Bundle}) again"));
            return ExitCodes.Ok;
        });
        return rollback;
    }

    private static Command Keys(CliApp app)
    {
        var command = new Command("key", "Create, list, rotate and delete deployment keys");
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelArgument();
        var platform = new Option<string?>("--platform") { Description = "The platform of the app that embeds it", Required = true, HelpName = "ios|android" };
        platform.AcceptOnlyFromAmong("ios", "android");
        var name = new Option<string?>("--name") { Description = "What the key is for (default: '<channel> <platform>')" };
        var create = new Command("create", "Mint a deployment key for a channel and platform; the key is printed once") { appId, channel, platform, name };
        app.Run(create, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var request = new CreateDeploymentKeyRequest(context.Value(channel), context.Value(platform), context.Value(name));
            var created = await api.SendAsync(HttpMethod.Post, $"{AppPath(context.Value(appId))}/codepush/keys",
                Content(request, Json.CreateDeploymentKeyRequest), Json.DeploymentKeyDto, cancellationToken);
            WriteKey(context, created);
            return ExitCodes.Ok;
        });
        command.Add(create);

        var listApp = Rules.AppArgument();
        var listChannel = Rules.ChannelOption("Only this channel's keys");
        var list = new Command("list", "List an app's deployment keys (without the keys)") { listApp, listChannel };
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var query = context.Value(listChannel) is { } c ? $"?channel={Uri.EscapeDataString(c)}" : "";
            var keys = await api.GetAsync($"{AppPath(context.Value(listApp))}/codepush/keys{query}", Json.ListDeploymentKeyDto, cancellationToken);
            Write(context, keys, list => context.WriteTable(["id", "channel", "platform", "name", "created"],
                list.Select(k => new[] { k.Id, k.Channel, k.Platform, k.Name, Formats.Date(k.CreatedAt) })));
            return ExitCodes.Ok;
        });
        command.Add(list);

        var keyApp = Rules.AppArgument();
        var id = new Argument<string>("id") { Description = "Deployment key id (dk_…, from codepush key list)" };
        var rotate = new Command("rotate", "Replace a key with a new one for the same channel and platform; the old one stops working") { keyApp, id };
        app.Run(rotate, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var rotated = await api.SendAsync(HttpMethod.Post, $"{AppPath(context.Value(keyApp))}/codepush/keys/{ManagementClient.Segment(context.Value(id))}/rotate",
                null, Json.DeploymentKeyDto, cancellationToken);
            WriteKey(context, rotated);
            return ExitCodes.Ok;
        });
        command.Add(rotate);

        var deleteApp = Rules.AppArgument();
        var deleteId = new Argument<string>("id") { Description = "Deployment key id (dk_…)" };
        var delete = new Command("delete", "Delete a deployment key: apps using it get deployment_key_not_found") { deleteApp, deleteId };
        app.Run(delete, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync($"{AppPath(context.Value(deleteApp))}/codepush/keys/{ManagementClient.Segment(context.Value(deleteId))}", cancellationToken);
            context.Note($"Deleted deployment key {context.Value(deleteId)}");
            return ExitCodes.Ok;
        });
        command.Add(delete);
        return command;
    }

    private static void WriteKey(CliContext context, ApiResponse<DeploymentKeyDto> answer)
    {
        Write(context, answer, k =>
        {
            context.WriteFields(("id", k.Id), ("app", k.App), ("channel", k.Channel), ("platform", k.Platform), ("name", k.Name));
            context.Environment.Out.WriteLine();
            context.Environment.Out.WriteLine(k.Key ?? "(the server returned no key)");
        });
        context.Warn("this is the only time the key is shown: put it in the app's CodePushDeploymentKey now (only its hash is kept).");
    }

    private static void Write<T>(CliContext context, ApiResponse<T> answer, Action<T> human)
    {
        if (context.Json)
            context.WriteJson(answer.Body);
        else
            human(answer.Value);
    }

    private static StringContent Content<T>(T body, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");
}
