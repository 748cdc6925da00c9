using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Cli.Commands;

/// <summary>
/// Checks made while parsing, with the server's own rules from Core, so a bad id or version is a usage error
/// (exit 2) before any call.
/// </summary>
public static class Rules
{
    public const string AppId = "a valid app id (reverse domain, e.g. com.acme.app)";
    public const string Channel = "a valid channel name (letters, digits, space, '.', '_', '-'; at most 64)";
    public const string DeviceId = "a valid device id (letters, digits, '_' and '-'; at most 36)";
    public const string Version = "a semantic version (e.g. 1.2.3)";
    public const string VersionOrBuiltin = "a semantic version (e.g. 1.2.3) or 'builtin'";

    public static bool IsVersionOrBuiltin(string? value) => value == BundleVersion.Builtin || BundleVersion.IsValid(value);

    public static Argument<string> Must(this Argument<string> argument, Func<string?, bool> isValid, string what)
    {
        argument.Validators.Add(result => Check(result, result.GetValueOrDefault<string>(), isValid, what));
        return argument;
    }

    public static Option<string?> Must(this Option<string?> option, Func<string?, bool> isValid, string what)
    {
        option.Validators.Add(result => Check(result, result.GetValueOrDefault<string?>(), isValid, what));
        return option;
    }

    public static Argument<string> AppArgument(string name = "app") =>
        new Argument<string>(name) { Description = "App id, e.g. com.acme.app" }.Must(DeviceInfoReader.IsValidAppId, AppId);

    public static Argument<string> ChannelArgument() =>
        new Argument<string>("channel") { Description = "Channel name" }.Must(DeviceInfoReader.IsValidChannelName, Channel);

    public static Option<string?> ChannelOption(string description) =>
        new Option<string?>("--channel") { Description = description }.Must(DeviceInfoReader.IsValidChannelName, Channel);

    public static Option<DateTimeOffset?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "date",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
                return value;
            result.AddError($"'{text}' is not a date (e.g. 2027-01-01 or 2027-01-01T12:00:00Z).");
            return null;
        },
    };

    private static void Check(SymbolResult result, string? value, Func<string?, bool> isValid, string what)
    {
        if (!isValid(value))
            result.AddError($"'{value}' is not {what}.");
    }
}
