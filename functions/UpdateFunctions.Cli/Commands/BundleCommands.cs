using UpdateFunctions.Core.Crypto;
using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Cli.Bundles;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>bundle upload|list|show|delete</c>.</summary>
public static class BundleCommands
{
    public static Command Build(CliApp app)
    {
        var command = new Command("bundle", "Upload, list and delete bundles");
        command.Add(Upload(app));
        command.Add(List(app));
        command.Add(ShowCommand(app));
        command.Add(Delete(app));
        return command;
    }

    private static string BundlesPath(string app) => $"api/v1/apps/{ManagementClient.Segment(app)}/bundles";

    private static Argument<string> VersionArgument() =>
        new Argument<string>("version") { Description = "Bundle version (semver)" }.Must(BundleVersion.IsValid, Rules.Version);

    private static Command Upload(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "Web build folder (zipped deterministically) or a .zip file" };
        var appId = new Option<string?>("--app") { Description = "App id", Required = true }.Must(Core.Devices.DeviceInfoReader.IsValidAppId, Rules.AppId);
        var version = new Option<string?>("--version") { Description = "Version of this bundle (strict semver, e.g. 1.2.3)", Required = true }
            .Must(BundleVersion.IsValid, Rules.Version);
        var channel = Rules.ChannelOption("Point this channel at the bundle once committed");
        var minUpdate = new Option<string?>("--min-update-version") { Description = "Devices below this version do not get the bundle" }
            .Must(BundleVersion.IsValid, Rules.Version);
        var comment = new Option<string?>("--comment") { Description = "Free text shown in bundle lists" };
        var link = new Option<string?>("--link") { Description = "Link for this bundle (release notes, commit)" };
        var encrypt = new Option<bool>("--encrypt") { Description = "Encrypt end to end (Capgo v2: AES-128-CBC, RSA session key) with --private-key; devices decrypt with the app's public key" };
        var key = new Option<string>("--private-key") { Description = "Private key for --encrypt (PEM RSA PRIVATE KEY); it never leaves this machine", DefaultValueFactory = _ => ".capgo_key_v2" };
        var upload = new Command("upload", "Zip (when a folder), hash, upload straight to storage, commit, and optionally point a channel at it")
        {
            path, appId, version, channel, minUpdate, comment, link, encrypt, key,
        };

        app.Run(upload, async (context, cancellationToken) =>
        {
            var appValue = context.Value(appId)!;
            var versionValue = context.Value(version)!;
            var api = await context.ConnectAsync(cancellationToken);

            await using var plain = await BundleFile.OpenAsync(context.Value(path), cancellationToken);
            var file = plain;
            CapgoEncryptionResult? encryption = null;
            string? keyId = null;
            BundleFile? encrypted = null;
            if (context.Value(encrypt))
            {
                var keyPath = context.Value(key);
                if (!File.Exists(keyPath))
                    throw CliException.Usage($"--encrypt needs the private key (--private-key): {keyPath} does not exist (create one with 'updatectl encryption create-key').");
                using var pair = CapgoKeyPair.FromPrivateKeyPem(await File.ReadAllTextAsync(keyPath, cancellationToken));
                var temporary = BundleFile.CreateTemporary();
                // Checksum in the hex form: what plugins 5.30+/6.30+/7.30+/8.x verify.
                encryption = await CapgoBundleEncryption.EncryptAsync(plain.Stream, temporary, pair.PrivateKey, CapgoChecksumFormat.Hex, cancellationToken);
                temporary.Position = 0;
                file = encrypted = BundleFile.FromEncrypted(temporary, encryption.EncryptedSha256);
                keyId = pair.KeyId;
            }
            await using var encryptedFile = encrypted;
            var request = new CreateBundleRequest(versionValue, file.Size, file.Sha256, context.Value(minUpdate), context.Value(link), context.Value(comment),
                encryption?.SessionKey, keyId, encryption?.Checksum);
            var (status, body) = await api.SendRawAsync(HttpMethod.Post, BundlesPath(appValue),
                JsonContent(request), cancellationToken);

            string bundleBody;
            BundleDto bundle;
            var uploaded = status != HttpStatusCode.OK;
            if (!uploaded)
            {
                // Same version, same bytes: the server answers with the bundle it has, nothing to send.
                (bundleBody, bundle) = (body, Read(body, CliJson.Default.BundleDto));
            }
            else
            {
                var ticket = Read(body, CliJson.Default.UploadTicketDto);
                await SendAsync(context, file, ticket.UploadUrl, cancellationToken);
                var committed = await api.SendAsync(HttpMethod.Post, $"{BundlesPath(appValue)}/{ManagementClient.Segment(versionValue)}/commit",
                    (HttpContent?)null, CliJson.Default.BundleDto, cancellationToken);
                (bundleBody, bundle) = (committed.Body, committed.Value);
            }
            var expected = encryption?.Checksum ?? file.Sha256;
            if (bundle.Checksum is { } checksum && !string.Equals(checksum, expected, StringComparison.OrdinalIgnoreCase))
                throw new CliException(ExitCodes.Conflict, "checksum_mismatch", $"the server holds {versionValue} with checksum {checksum}, not {expected}.");

            ApiResponse<ChannelDto>? pointed = null;
            if (context.Value(channel) is { } channelName)
            {
                pointed = await api.PutAsync($"api/v1/apps/{ManagementClient.Segment(appValue)}/channels/{ManagementClient.Segment(channelName)}/bundle",
                    new SetChannelBundleRequest(versionValue), CliJson.Default.SetChannelBundleRequest, CliJson.Default.ChannelDto, cancellationToken);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["bundle"] = JsonNode.Parse(bundleBody),
                    ["channel"] = pointed is null ? null : JsonNode.Parse(pointed.Body),
                    ["uploaded"] = uploaded,
                    ["sha256"] = file.Sha256,
                    ["size"] = file.Size,
                    ["encrypted"] = encryption is not null,
                    ["plainSha256"] = encryption?.PlainSha256,
                }.ToJsonString());
                return ExitCodes.Ok;
            }
            context.WriteFields(
                ("app", appValue), ("version", bundle.Version), ("checksum", file.Sha256), ("size", Formats.Size(file.Size)),
                ("upload", uploaded ? "uploaded and committed" : "already on the server with these bytes: skipped"),
                ("channel", pointed is null ? "-" : $"{pointed.Value.Name} → {pointed.Value.Bundle}"));
            return ExitCodes.Ok;
        });
        return upload;
    }

    internal static async Task SendAsync(CliContext context, BundleFile file, Uri uploadUrl, CancellationToken cancellationToken)
    {
        var uploader = new BlobUploader(context.BlobHttp);
        file.Stream.Position = 0;
        if (context.Json || !context.Environment.Interactive)
        {
            // Logs and pipes get one line instead of a live bar.
            if (!context.Json)
                await context.Environment.Error.WriteLineAsync($"uploading {Formats.Size(file.Size)} to {uploadUrl.GetLeftPart(UriPartial.Authority)}…");
            await uploader.UploadAsync(uploadUrl, file.Stream, file.Size, new SyncProgress(_ => { }), cancellationToken);
            return;
        }
        await context.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"uploading {Formats.Size(file.Size)}", maxValue: file.Size);
                await uploader.UploadAsync(uploadUrl, file.Stream, file.Size, new SyncProgress(sent => task.Value = sent), cancellationToken);
                task.Value = file.Size;
            });
    }

    private static Command List(CliApp app)
    {
        var appId = Rules.AppArgument();
        var list = new Command("list", "List an app's bundles, newest version first") { appId };
        app.Run(list, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var bundles = await api.GetAsync(BundlesPath(context.Value(appId)), CliJson.Default.BundleDtoArray, cancellationToken);
            if (context.Json)
                context.WriteJson(bundles.Body);
            else
                context.WriteTable(["version", "size", "checksum", "min update", "encrypted", "manifest", "created", "comment"],
                    bundles.Value.Select(b => new[]
                    {
                        b.Version, Formats.Size(b.Size), Formats.Abbreviate(b.Checksum), b.MinUpdateVersion,
                        string.IsNullOrEmpty(b.SessionKey) ? "no" : "yes", ManifestSummary(b.Manifest, brief: true), Formats.Date(b.CreatedAt), b.Comment,
                    }));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command ShowCommand(CliApp app)
    {
        var appId = Rules.AppArgument();
        var version = VersionArgument();
        var show = new Command("show", "Show one bundle") { appId, version };
        app.Run(show, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var bundle = await api.GetAsync($"{BundlesPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(version))}", CliJson.Default.BundleDto, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(bundle.Body);
                return ExitCodes.Ok;
            }
            var b = bundle.Value;
            context.WriteFields(
                ("version", b.Version), ("checksum", b.Checksum), ("size", Formats.Size(b.Size)), ("blob", b.BlobPath), ("url", b.Url),
                ("encrypted", string.IsNullOrEmpty(b.SessionKey) ? "no" : $"yes (key id {b.KeyId})"), ("min update version", b.MinUpdateVersion),
                ("link", b.Link), ("comment", b.Comment), ("created", Formats.Date(b.CreatedAt)),
                ("manifest", ManifestSummary(b.Manifest, brief: false)));
            return ExitCodes.Ok;
        });
        return show;
    }

    /// <summary>The manifest of partial updates: its files and sizes, or why there is none.</summary>
    private static string? ManifestSummary(ManifestDto? manifest, bool brief) => manifest switch
    {
        null => null,
        { Status: "ready" } m when brief => $"{m.Files} files",
        { Status: "ready" } m => $"{m.Files} files, {Formats.Size(m.Size)} ({Formats.Size(m.DownloadSize)} to download with none of them)",
        { Status: "unavailable" } m => $"none: {m.Reason}",
        _ => "none",
    };

    private static Command Delete(CliApp app)
    {
        var appId = Rules.AppArgument();
        var version = VersionArgument();
        var delete = new Command("delete", "Delete a bundle (refused while a channel or a device pin uses it)") { appId, version };
        app.Run(delete, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync($"{BundlesPath(context.Value(appId))}/{ManagementClient.Segment(context.Value(version))}", cancellationToken);
            context.Note($"Deleted bundle {context.Value(version)} of {context.Value(appId)}");
            return ExitCodes.Ok;
        });
        return delete;
    }

    private static StringContent JsonContent(CreateBundleRequest request) =>
        new(JsonSerializer.Serialize(request, CliJson.Default.CreateBundleRequest), System.Text.Encoding.UTF8, "application/json");

    private static T Read<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Error, "invalid_response", $"unexpected answer to the bundle upload: {ex.Message}");
        }
    }

    /// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
