using System.CommandLine;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>device set|unset|show</c>: admin overrides and bundle pins of one device.</summary>
public static class DeviceCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("device", "Override a device's channel, pin its bundle, or see which channel it gets and why");
        command.Add(Set(app));
        command.Add(Unset(app));
        command.Add(ShowCommand(app));
        return command;
    }

    private static Argument<string> DeviceArgument() =>
        new Argument<string>("device-id") { Description = "The device id the plugin sends (device_id)" }.Must(DeviceInfoReader.IsValidDeviceId, Rules.DeviceId);

    private static string DevicePath(string app, string device) =>
        $"api/v1/apps/{ManagementClient.Segment(app)}/devices/{ManagementClient.Segment(device)}";

    private static Command Set(CliApp app)
    {
        var appId = Rules.AppArgument();
        var device = DeviceArgument();
        var channel = Rules.ChannelOption("Put the device on this channel (admin override)");
        var bundle = new Option<string?>("--bundle") { Description = "Pin the device to this bundle version", HelpName = "version" }
            .Must(BundleVersion.IsValid, Rules.Version);
        var set = new Command("set", "Override a device's channel and/or pin its bundle") { appId, device, channel, bundle };
        app.Run(set, async (context, cancellationToken) =>
        {
            var body = new PutDeviceRequest(context.Value(channel), context.Value(bundle));
            if (body is { Channel: null, Bundle: null })
                throw CliException.Usage("nothing to change: give --channel and/or --bundle.");
            var api = await context.ConnectAsync(cancellationToken);
            Show(context, await api.PutAsync(DevicePath(context.Value(appId), context.Value(device)), body, CliJson.Default.PutDeviceRequest, CliJson.Default.DeviceDto, cancellationToken));
            return ExitCodes.Ok;
        });
        return set;
    }

    private static Command Unset(CliApp app)
    {
        var appId = Rules.AppArgument();
        var device = DeviceArgument();
        var unset = new Command("unset", "Remove a device's admin override and pin (a self-assignment stays)") { appId, device };
        app.Run(unset, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync(DevicePath(context.Value(appId), context.Value(device)), cancellationToken);
            context.Note($"Removed the override and pin of {context.Value(device)}");
            return ExitCodes.Ok;
        });
        return unset;
    }

    private static Command ShowCommand(CliApp app)
    {
        var appId = Rules.AppArgument();
        var device = DeviceArgument();
        var platform = new Option<string?>("--platform") { Description = "Platform the device would send", HelpName = "ios|android|electron" };
        platform.AcceptOnlyFromAmong("ios", "android", "electron");
        var defaultChannel = new Option<string?>("--default-channel") { Description = "defaultChannel the device would send" }
            .Must(DeviceInfoReader.IsValidChannelName, Rules.Channel);
        var show = new Command("show", "Show a device's override, pin, and effective channel with the reason") { appId, device, platform, defaultChannel };
        app.Run(show, async (context, cancellationToken) =>
        {
            var query = new List<string>();
            if (context.Value(platform) is { } p)
                query.Add($"platform={Uri.EscapeDataString(p)}");
            if (context.Value(defaultChannel) is { } c)
                query.Add($"defaultChannel={Uri.EscapeDataString(c)}");
            var path = DevicePath(context.Value(appId), context.Value(device)) + (query.Count > 0 ? "?" + string.Join("&", query) : string.Empty);
            var api = await context.ConnectAsync(cancellationToken);
            Show(context, await api.GetAsync(path, CliJson.Default.DeviceDto, cancellationToken));
            return ExitCodes.Ok;
        });
        return show;
    }

    private static void Show(CliContext context, ApiResponse<DeviceDto> device)
    {
        if (context.Json)
        {
            context.WriteJson(device.Body);
            return;
        }
        var d = device.Value;
        context.WriteFields(
            ("device", d.DeviceId), ("channel override", d.Channel), ("bundle pin", d.Bundle), ("self-assigned", d.SelfAssignedChannel),
            ("effective channel", d.EffectiveChannel), ("reason", d.Reason));
    }
}
