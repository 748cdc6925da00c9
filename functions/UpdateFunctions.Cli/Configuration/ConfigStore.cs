using System.Text.Json;

namespace UpdateFunctions.Cli.Configuration;

/// <summary>
/// The config file, <c>$XDG_CONFIG_HOME/updatectl/config.json</c> or <c>~/.config/updatectl/config.json</c>
/// (<c>%APPDATA%\updatectl\config.json</c> on Windows). It holds a secret, so on Unix it is created with mode 600.
/// </summary>
public sealed class ConfigStore(string path)
{
    public const string ServerVariable = "UPDATECTL_SERVER";
    public const string KeyVariable = "UPDATECTL_KEY";

    public string Path { get; } = path;

    public static ConfigStore ForUser(Func<string, string?> getVariable)
    {
        var root = getVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
                : System.IO.Path.Combine(
                    getVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    ".config");
        return new ConfigStore(System.IO.Path.Combine(root, "updatectl", "config.json"));
    }

    public async Task<CliConfig> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
            return new CliConfig(null, null);
        try
        {
            await using var stream = File.OpenRead(Path);
            return await JsonSerializer.DeserializeAsync(stream, CliJson.Default.CliConfig, cancellationToken) ?? new CliConfig(null, null);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Error, "invalid_config", $"{Path} is not valid JSON ({ex.Message}); run updatectl login again.");
        }
    }

    public async Task WriteAsync(CliConfig config, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temp, options))
            await JsonSerializer.SerializeAsync(stream, config, CliJson.Default.CliConfig, cancellationToken);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>Removes the file; false when there was none.</summary>
    public bool Delete()
    {
        if (!File.Exists(Path))
            return false;
        File.Delete(Path);
        return true;
    }

    /// <summary>
    /// The connection a command uses: <c>--server</c>/<c>--key</c> first, then <c>UPDATECTL_SERVER</c>/<c>UPDATECTL_KEY</c>,
    /// then the config file. Each of the two is resolved on its own.
    /// </summary>
    public static Connection Resolve(string? serverOption, string? keyOption, Func<string, string?> getVariable, CliConfig stored)
    {
        var server = First(serverOption, getVariable(ServerVariable), stored.Server);
        var key = First(keyOption, getVariable(KeyVariable), stored.Key);
        if (server is null || key is null)
        {
            throw new CliException(ExitCodes.Usage, "not_logged_in",
                $"no {(server is null ? "server" : "key")} configured: run 'updatectl login <server-url> --key <key>', " +
                $"or pass --server and --key, or set {ServerVariable} and {KeyVariable}.");
        }
        return new Connection(ParseServer(server), key);
    }

    /// <summary>An absolute http(s) URL, normalised to end with a slash so API paths append to it.</summary>
    public static Uri ParseServer(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw CliException.Usage($"'{value}' is not an http(s) URL, e.g. http://127.0.0.1:7071.");
        var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty };
        if (!builder.Path.EndsWith('/'))
            builder.Path += "/";
        return builder.Uri;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
