using System.CommandLine;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Crypto;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Cli.Commands;

/// <summary>
/// <c>encryption create-key</c>: the owner's Capgo v2 key pair (<c>.capgo_key_v2</c> + <c>.capgo_key_v2.pub</c>, the
/// files and formats of <c>npx @capgo/cli key create</c>). Named apart from <c>key</c>, which manages API keys.
/// Only the public key ever goes to the server.
/// </summary>
public static class EncryptionCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("encryption", "End-to-end bundle encryption (Capgo v2 keys)");
        command.Add(CreateKey(app));
        return command;
    }

    private static Command CreateKey(CliApp app)
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for .capgo_key_v2 and .capgo_key_v2.pub (default: the current folder)" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files" };
        var appId = new Option<string?>("--app") { Description = "Also set the public key on this app (PATCH publicKey)" }
            .Must(DeviceInfoReader.IsValidAppId, Rules.AppId);
        var create = new Command("create-key", "Create an RSA-2048 key pair for encrypted bundles; the private key stays here") { output, force, appId };
        app.Run(create, async (context, cancellationToken) =>
        {
            var folder = context.Value(output)?.FullName ?? Directory.GetCurrentDirectory();
            var privatePath = Path.Combine(folder, CapgoKeyPair.PrivateKeyFileName);
            var publicPath = Path.Combine(folder, CapgoKeyPair.PublicKeyFileName);
            if (!context.Value(force) && (File.Exists(privatePath) || File.Exists(publicPath)))
                throw CliException.Usage($"{privatePath} or {publicPath} exists already: use --force to replace the key pair.");

            using var pair = CapgoKeyPair.Create();
            Directory.CreateDirectory(folder);
            await WritePrivateAsync(privatePath, pair.PrivateKeyPem, cancellationToken);
            await File.WriteAllTextAsync(publicPath, pair.PublicKeyPem, cancellationToken);

            ApiResponse<AppDto>? registered = null;
            if (context.Value(appId) is { } id)
            {
                var api = await context.ConnectAsync(cancellationToken);
                registered = await api.PatchAsync($"api/v1/apps/{ManagementClient.Segment(id)}",
                    new PatchAppRequest(null, null, pair.PublicKeyPem.Trim()), CliJson.Default.PatchAppRequest, CliJson.Default.AppDto, cancellationToken);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["privateKeyFile"] = privatePath,
                    ["publicKeyFile"] = publicPath,
                    ["keyId"] = pair.KeyId,
                    ["app"] = registered is null ? null : JsonNode.Parse(registered.Body),
                }.ToJsonString());
                return ExitCodes.Ok;
            }
            context.WriteFields(("private key", privatePath), ("public key", publicPath), ("key id", pair.KeyId),
                ("app", registered is null ? "-" : $"{registered.Value.Id}: public key set (key id {registered.Value.KeyId})"));
            context.Warn($"keep {CapgoKeyPair.PrivateKeyFileName} secret and out of version control; the app embeds only the public key (plugins.CapacitorUpdater.publicKey).");
            return ExitCodes.Ok;
        });
        return create;
    }

    /// <summary>Creates the private key file readable by its owner only (mode 600) before any byte is written.</summary>
    private static async Task WritePrivateAsync(string path, string pem, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite); // --force over a wider file
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(pem.AsMemory(), cancellationToken);
    }
}
