using System.CommandLine;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>channel create|list|show|set|delete|rollback</c>.</summary>
public static class ChannelCommands
{
    private static readonly string[] AutoUpdatePolicies = ["none", "major", "minor", "patch", "version_number"];

    /// <summary>The boolean switches of a channel: option name (for <c>set</c>), what it allows, and its member of the request.</summary>
    private static readonly (string Option, string Allows, Func<ChannelRequest, bool, ChannelRequest> Set)[] Switches =
    [
        ("ios", "iOS devices", (r, on) => r with { Ios = on }),
        ("android", "Android devices", (r, on) => r with { Android = on }),
        ("electron", "Electron apps", (r, on) => r with { Electron = on }),
        ("emulator", "emulators", (r, on) => r with { AllowEmulator = on }),
        ("device", "physical devices", (r, on) => r with { AllowDevice = on }),
        ("dev", "development builds", (r, on) => r with { AllowDev = on }),
        ("prod", "production builds", (r, on) => r with { AllowProd = on }),
    ];

    public static Command Build(CliApp app)
    {
        var command = new Command("channel", "Create, list, change, delete and roll back channels");
        command.Add(Create(app));
        command.Add(List(app));
        command.Add(ShowCommand(app));
        command.Add(Set(app));
        command.Add(Delete(app));
        command.Add(Rollback(app));
        return command;
    }

    private static string ChannelPath(string app, string channel) =>
        $"api/v1/apps/{ManagementClient.Segment(app)}/channels/{ManagementClient.Segment(channel)}";

    private static Option<string?> BundleOption(string description) =>
        new Option<string?>("--bundle") { Description = description, HelpName = "version" }.Must(Rules.IsVersionOrBuiltin, Rules.VersionOrBuiltin);

    private static Option<string?> AutoUpdateOption()
    {
        var option = new Option<string?>("--disable-auto-update")
        {
            Description = "Largest automatic jump refused: none, major, minor, patch or version_number",
            HelpName = "policy",
        };
        option.AcceptOnlyFromAmong(AutoUpdatePolicies);
        return option;
    }

    private static Command Create(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = Rules.ChannelArgument();
        var bundle = BundleOption("Bundle version the channel serves (or builtin)");
        var selfAssign = new Option<bool>("--self-assign") { Description = "Let devices assign themselves to this channel" };
        var negations = Switches.Select(s => (s.Set, Option: new Option<bool>($"--no-{s.Option}") { Description = $"Refuse {s.Allows}" })).ToArray();
        var autoUpdate = AutoUpdateOption();
        var underNative = new Option<bool>("--allow-under-native") { Description = "Allow bundles older than the native version (disableAutoUpdateUnderNative=false)" };
        var partial = new Option<bool>("--partial-updates") { Description = "Offer each bundle's per-file manifest, so devices download only the files they lack" };
        var create = new Command("create", "Create a channel; switches not given take the server's defaults (all platforms and devices, major jumps refused)")
        {
            appId, name, bundle, selfAssign, autoUpdate, underNative, partial,
        };
        foreach (var (_, option) in negations)
            create.Add(option);

        app.Run(create, async (context, cancellationToken) =>
        {
            // A switch not given is a member not sent: the server's default applies.
            var body = new ChannelRequest(
                Name: context.Value(name),
                Bundle: context.Value(bundle),
                AllowDeviceSelfSet: context.Value(selfAssign) ? true : null,
                DisableAutoUpdate: context.Value(autoUpdate),
                DisableAutoUpdateUnderNative: context.Value(underNative) ? false : null,
                PartialUpdates: context.Value(partial) ? true : null);
            foreach (var (set, option) in negations)
            {
                if (context.Value(option))
                    body = set(body, false);
            }
            var api = await context.ConnectAsync(cancellationToken);
            var created = await api.PostAsync($"api/v1/apps/{ManagementClient.Segment(context.Value(appId))}/channels", body,
                CliJson.Default.ChannelRequest, CliJson.Default.ChannelDto, cancellationToken);
            Show(context, created);
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command List(CliApp app)
    {
        var appId = Rules.AppArgument();
        var list = new Command("list", "List an app's channels") { appId };
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var channels = await api.GetAsync($"api/v1/apps/{ManagementClient.Segment(context.Value(appId))}/channels", CliJson.Default.ChannelDtoArray, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(channels.Body);
                return ExitCodes.Ok;
            }
            context.WriteTable(["name", "id", "bundle", "public", "platforms", "self-assign", "devices", "builds", "no auto", "under native", "partial"],
                channels.Value.Select(c => new[]
                {
                    c.Name, c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Bundle, Formats.Flag(c.Public),
                    Join((c.Ios, "ios"), (c.Android, "android"), (c.Electron, "electron")),
                    Formats.Flag(c.AllowDeviceSelfSet),
                    Join((c.AllowEmulator, "emulator"), (c.AllowDevice, "device")),
                    Join((c.AllowDev, "dev"), (c.AllowProd, "prod")),
                    c.DisableAutoUpdate,
                    c.DisableAutoUpdateUnderNative ? "refused" : "allowed",
                    Formats.Flag(c.PartialUpdates),
                }));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command ShowCommand(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = Rules.ChannelArgument();
        var show = new Command("show", "Show one channel") { appId, name };
        app.Run(show, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            Show(context, await api.GetAsync(ChannelPath(context.Value(appId), context.Value(name)), CliJson.Default.ChannelDto, cancellationToken));
            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command Set(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = Rules.ChannelArgument();
        var bundle = BundleOption("Point the channel at this bundle version (or builtin)");
        var selfAssign = new Option<bool?>("--self-assign") { Description = "Let devices assign themselves: true|false", HelpName = "true|false" };
        var toggles = Switches.Select(s => (s.Set, Option: new Option<bool?>($"--{s.Option}") { Description = $"Allow {s.Allows}: true|false", HelpName = "true|false" })).ToArray();
        var autoUpdate = AutoUpdateOption();
        var underNative = new Option<bool?>("--allow-under-native") { Description = "Allow bundles older than the native version: true|false", HelpName = "true|false" };
        var partial = new Option<bool?>("--partial-updates") { Description = "Offer per-file manifests (partial updates): true|false", HelpName = "true|false" };
        var set = new Command("set", "Change a channel's switches (each given as true or false) or its bundle")
        {
            appId, name, bundle, selfAssign, autoUpdate, underNative, partial,
        };
        foreach (var (_, option) in toggles)
            set.Add(option);

        app.Run(set, async (context, cancellationToken) =>
        {
            var patch = new ChannelRequest(
                AllowDeviceSelfSet: context.Value(selfAssign),
                DisableAutoUpdate: context.Value(autoUpdate),
                DisableAutoUpdateUnderNative: !context.Value(underNative),
                PartialUpdates: context.Value(partial));
            foreach (var (set, option) in toggles)
            {
                if (context.Value(option) is { } value)
                    patch = set(patch, value);
            }
            var changes = patch != new ChannelRequest();
            var version = context.Value(bundle);
            if (!changes && version is null)
                throw CliException.Usage("nothing to change: give --bundle or at least one switch (see updatectl channel set --help).");

            var api = await context.ConnectAsync(cancellationToken);
            var path = ChannelPath(context.Value(appId), context.Value(name));
            ApiResponse<ChannelDto>? result = null;
            // Partial updates and encrypted bundles exclude each other: turn them off before pointing at such a bundle,
            // and on only after pointing away from one.
            var switchesFirst = context.Value(partial) == false;
            if (switchesFirst && changes)
                result = await api.PatchAsync(path, patch, CliJson.Default.ChannelRequest, CliJson.Default.ChannelDto, cancellationToken);
            if (version is not null)
                result = await api.PutAsync($"{path}/bundle", new SetChannelBundleRequest(version), CliJson.Default.SetChannelBundleRequest, CliJson.Default.ChannelDto, cancellationToken);
            if (!switchesFirst && changes)
                result = await api.PatchAsync(path, patch, CliJson.Default.ChannelRequest, CliJson.Default.ChannelDto, cancellationToken);
            Show(context, result!);
            return ExitCodes.Ok;
        });
        return set;
    }

    private static Command Delete(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = Rules.ChannelArgument();
        var delete = new Command("delete", "Delete a channel (refused while it is the default or a device override names it)") { appId, name };
        app.Run(delete, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync(ChannelPath(context.Value(appId), context.Value(name)), cancellationToken);
            context.Note($"Deleted channel {context.Value(name)} of {context.Value(appId)}");
            return ExitCodes.Ok;
        });
        return delete;
    }

    private static Command Rollback(CliApp app)
    {
        var appId = Rules.AppArgument();
        var name = Rules.ChannelArgument();
        var to = new Option<string?>("--to") { Description = "Version to serve again (or builtin)", Required = true, HelpName = "version" }
            .Must(Rules.IsVersionOrBuiltin, Rules.VersionOrBuiltin);
        var rollback = new Command("rollback", "Point a channel back at an earlier bundle, in one call") { appId, name, to };
        app.Run(rollback, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var channel = await api.PutAsync($"{ChannelPath(context.Value(appId), context.Value(name))}/bundle",
                new SetChannelBundleRequest(context.Value(to)!), CliJson.Default.SetChannelBundleRequest, CliJson.Default.ChannelDto, cancellationToken);
            Show(context, channel);
            context.Note($"{channel.Value.Name} now serves {channel.Value.Bundle}");
            return ExitCodes.Ok;
        });
        return rollback;
    }

    private static string Join(params (bool? On, string Name)[] flags)
    {
        var on = flags.Where(f => f.On != false).Select(f => f.Name).ToArray();
        return on.Length == 0 ? "none" : string.Join(",", on);
    }

    private static void Show(CliContext context, ApiResponse<ChannelDto> channel)
    {
        if (context.Json)
        {
            context.WriteJson(channel.Body);
            return;
        }
        var c = channel.Value;
        context.WriteFields(
            ("name", c.Name), ("id", c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("bundle", c.Bundle), ("public", Formats.Flag(c.Public)),
            ("ios", Formats.Flag(c.Ios)), ("android", Formats.Flag(c.Android)), ("electron", Formats.Flag(c.Electron)),
            ("self-assign", Formats.Flag(c.AllowDeviceSelfSet)), ("emulator", Formats.Flag(c.AllowEmulator)), ("device", Formats.Flag(c.AllowDevice)),
            ("dev builds", Formats.Flag(c.AllowDev)), ("prod builds", Formats.Flag(c.AllowProd)),
            ("disable auto update", c.DisableAutoUpdate), ("disable under native", Formats.Flag(c.DisableAutoUpdateUnderNative)),
            ("partial updates", Formats.Flag(c.PartialUpdates)),
            ("held by rollout", c.ActiveRollout ?? "none"));
    }
}
