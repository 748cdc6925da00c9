using System.Buffers.Text;
using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Seeding;

/// <summary>
/// Reads a seed file (docs/seed-format.md) strictly: unknown sections and properties, wrong JSON types, invalid ids and
/// versions, and references to channels or bundles the app does not define are all a <see cref="SeedException"/>
/// whose message starts with the JSON path of the problem (<c>$.apps[0].channels[1].bundle: …</c>).
/// </summary>
public static class SeedParser
{
    private const int MaxNameLength = 64;
    private const int MaxAppIdLength = 128;
    private const int MaxDeviceIdLength = 36;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    /// <summary>Sections that later issues add to the format; named in the error so nobody hunts for a typo.</summary>
    private static readonly string[] FutureSections = ["rollouts", "apiKeys"];

    public static SeedDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new SeedException($"The seed is not valid JSON: {ex.Message}", ex);
        }

        using (document)
            return ReadDocument(document.RootElement);
    }

    private static SeedDocument ReadDocument(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var section in element.EnumerateObject())
            {
                if (FutureSections.Contains(section.Name, StringComparer.Ordinal))
                    throw Error("$." + section.Name, "this section is not supported yet (known sections: apps)");
                if (section.Name == "segments")
                    throw Error("$.segments", "segments belong to an app: put them in $.apps[i].segments");
            }
        }

        var root = SeedObject.Read(element, "$", "apps");
        var apps = root.Array("apps").Select(item => ReadApp(item.Element, item.Path)).ToList();
        var duplicate = apps.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw Error($"$.apps[{apps.FindLastIndex(a => a.Id == duplicate.Key)}].id", $"app '{duplicate.Key}' is defined twice");
        return new SeedDocument(apps);
    }

    private static SeedApp ReadApp(JsonElement element, string path)
    {
        var app = SeedObject.Read(element, path, "id", "name", "defaultChannel", "publicKey", "channels", "bundles", "devices", "segments");
        var id = app.RequiredString("id");
        if (!IsValidAppId(id))
            throw Error(path + ".id", $"'{id}' is not a reverse-DNS app id such as com.demo.app");
        var name = app.OptionalString("name") ?? id;
        var defaultChannel = app.OptionalString("defaultChannel");
        var publicKey = app.OptionalString("publicKey");

        var bundles = Unique(app.Array("bundles").Select(item => ReadBundle(item.Element, item.Path)), b => b.Version, "bundles", "version", path);
        var channels = Unique(app.Array("channels").Select(item => ReadChannel(item.Element, item.Path)), c => c.Name, "channels", "name", path);
        var devices = Unique(app.Array("devices").Select(item => ReadDevice(item.Element, item.Path)), d => d.Id, "devices", "id", path);

        var versions = bundles.Select(b => b.Version).ToHashSet(StringComparer.Ordinal);
        var channelNames = channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        if (defaultChannel is not null && !channelNames.Contains(defaultChannel))
            throw Error(path + ".defaultChannel", $"channel '{defaultChannel}' is not defined in this app's channels");
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i].Bundle is { } bundle && !IsKnownBundle(bundle, versions))
                throw Error($"{path}.channels[{i}].bundle", $"bundle '{bundle}' is not defined in this app's bundles (nor is it \"{BundleVersion.Builtin}\")");
        }

        for (var i = 0; i < devices.Count; i++)
        {
            if (devices[i].Channel is { } channel && !channelNames.Contains(channel))
                throw Error($"{path}.devices[{i}].channel", $"channel '{channel}' is not defined in this app's channels");
            if (devices[i].Bundle is { } bundle && !IsKnownBundle(bundle, versions))
                throw Error($"{path}.devices[{i}].bundle", $"bundle '{bundle}' is not defined in this app's bundles (nor is it \"{BundleVersion.Builtin}\")");
        }

        var segments = Unique(app.Array("segments").Select(item => ReadSegment(item.Element, item.Path)), s => s.Name, "segments", "name", path);

        return new SeedApp(id, name, defaultChannel, publicKey, channels, bundles, devices, segments);
    }

    private static SegmentDefinition ReadSegment(JsonElement element, string path) =>
        SegmentJson.TryRead(element, out var segment, out var error) ? segment : throw Error(path, error);

    private static SeedChannel ReadChannel(JsonElement element, string path)
    {
        var channel = SeedObject.Read(element, path,
            "name", "bundle", "ios", "android", "electron", "allowDeviceSelfSet", "allowEmulator", "allowDevice",
            "allowDev", "allowProd", "disableAutoUpdate", "disableAutoUpdateUnderNative", "partialUpdates");
        var name = channel.RequiredString("name");
        if (!IsValidName(name))
            throw Error(path + ".name", $"'{name}' is not a valid channel name (1-{MaxNameLength} characters, no spaces at the ends, no / \\ # ? or control characters)");

        var policy = AutoUpdatePolicy.Major;
        if (channel.OptionalString("disableAutoUpdate") is { } wire && !AutoUpdatePolicyNames.TryParse(wire, out policy))
            throw Error(path + ".disableAutoUpdate", $"'{wire}' is not one of \"none\", \"major\", \"minor\", \"patch\", \"version_number\"");

        return new SeedChannel(
            name,
            channel.OptionalString("bundle"),
            Ios: channel.Bool("ios", true),
            Android: channel.Bool("android", true),
            Electron: channel.Bool("electron", true),
            AllowDeviceSelfSet: channel.Bool("allowDeviceSelfSet", false),
            AllowEmulator: channel.Bool("allowEmulator", true),
            AllowDevice: channel.Bool("allowDevice", true),
            AllowDev: channel.Bool("allowDev", true),
            AllowProd: channel.Bool("allowProd", true),
            DisableAutoUpdate: policy,
            DisableAutoUpdateUnderNative: channel.Bool("disableAutoUpdateUnderNative", true),
            PartialUpdates: channel.Bool("partialUpdates", false));
    }

    private static SeedBundle ReadBundle(JsonElement element, string path)
    {
        var bundle = SeedObject.Read(element, path, "version", "file", "url", "checksum", "sessionKey", "minUpdateVersion");
        var version = bundle.RequiredString("version");
        if (!BundleVersion.IsValid(version))
            throw Error(path + ".version", $"'{version}' is not a strict semantic version such as 1.2.3");

        var minUpdateVersion = bundle.OptionalString("minUpdateVersion");
        if (minUpdateVersion is not null && !BundleVersion.IsValid(minUpdateVersion))
            throw Error(path + ".minUpdateVersion", $"'{minUpdateVersion}' is not a strict semantic version such as 1.2.3");

        var sessionKey = bundle.OptionalString("sessionKey") ?? "";
        if (sessionKey.Length > 0 && !IsSessionKey(sessionKey))
            throw Error(path + ".sessionKey", "expected \"<base64 iv>:<base64 encrypted key>\"");

        var file = bundle.OptionalString("file");
        var url = bundle.OptionalString("url");
        var checksum = bundle.OptionalString("checksum");
        if (file is not null)
        {
            if (url is not null)
                throw Error(path, "give either \"file\" or \"url\" (with \"checksum\"), not both");
            if (checksum is not null)
                throw Error(path + ".checksum", "a bundle with \"file\" takes its checksum from the file's SHA-256; remove \"checksum\"");
            if (file.Length == 0 || Path.IsPathRooted(file))
                throw Error(path + ".file", $"'{file}' must be a path relative to the seed file");
            return new SeedBundle(version, file, null, null, sessionKey, minUpdateVersion);
        }

        if (url is null)
            throw Error(path, "give either \"file\" (a zip next to the seed file) or \"url\" with \"checksum\"");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw Error(path + ".url", $"'{url}' is not an absolute http(s) URL");
        if (checksum is null)
            throw Error(path, "an external bundle (\"url\") needs its \"checksum\"");
        return new SeedBundle(version, null, uri, NormalizeChecksum(checksum, sessionKey.Length > 0, path + ".checksum"), sessionKey, minUpdateVersion);
    }

    private static SeedDevice ReadDevice(JsonElement element, string path)
    {
        var device = SeedObject.Read(element, path, "id", "channel", "bundle");
        var id = device.RequiredString("id");
        if (!IsValidDeviceId(id))
            throw Error(path + ".id", $"'{id}' is not a device id (1-{MaxDeviceIdLength} characters, no spaces, / \\ # ? or control characters)");
        var channel = device.OptionalString("channel");
        var bundle = device.OptionalString("bundle");
        if (channel is null && bundle is null)
            throw Error(path, "a device entry needs \"channel\" (an override) or \"bundle\" (a pinned bundle)");
        return new SeedDevice(id.ToLowerInvariant(), channel, bundle);
    }

    private static List<T> Unique<T>(IEnumerable<T> items, Func<T, string> key, string section, string property, string appPath)
    {
        var list = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!seen.Add(key(item)))
                throw Error($"{appPath}.{section}[{list.Count}].{property}", $"'{key(item)}' is defined twice in this app's {section}");
            list.Add(item);
        }

        return list;
    }

    private static bool IsKnownBundle(string version, HashSet<string> versions) =>
        version == BundleVersion.Builtin || versions.Contains(version);

    private static string NormalizeChecksum(string checksum, bool encrypted, string path)
    {
        if (checksum.Length == 64 && checksum.All(char.IsAsciiHexDigit))
            return checksum.ToLowerInvariant();
        // An encrypted bundle's checksum is the RSA-encrypted form, in base64 (docs/protocol.md).
        if (encrypted && checksum.Length > 0 && Base64.IsValid(checksum))
            return checksum;
        throw Error(path, "expected the SHA-256 of the zip as 64 hex digits (or, with a sessionKey, its encrypted form in base64)");
    }

    private static bool IsSessionKey(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < value.Length - 1
            && Base64.IsValid(value.AsSpan(0, colon))
            && Base64.IsValid(value.AsSpan(colon + 1));
    }

    private static bool IsValidAppId(string id)
    {
        if (id.Length > MaxAppIdLength || !char.IsAsciiLetter(id[0]))
            return false;
        var segments = id.Split('.');
        return segments.Length >= 2
            && segments.All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && !char.IsWhiteSpace(name[0]) && !char.IsWhiteSpace(name[^1])
        && !name.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static bool IsValidDeviceId(string id) =>
        id.Length is > 0 and <= MaxDeviceIdLength
        && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) || char.IsWhiteSpace(c));

    private static SeedException Error(string path, string message) => new($"{path}: {message}");

    /// <summary>A JSON object whose properties were checked against the names allowed at its path.</summary>
    private sealed class SeedObject
    {
        private readonly Dictionary<string, JsonElement> _properties;
        private readonly string _path;

        private SeedObject(Dictionary<string, JsonElement> properties, string path)
        {
            _properties = properties;
            _path = path;
        }

        public static SeedObject Read(JsonElement element, string path, params string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw Error(path, $"expected an object, found {Describe(element)}");

            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                    throw Error($"{path}.{property.Name}", $"unknown property (allowed here: {string.Join(", ", allowed)})");
                if (!properties.TryAdd(property.Name, property.Value))
                    throw Error($"{path}.{property.Name}", "the property is given twice");
            }

            return new SeedObject(properties, path);
        }

        public string RequiredString(string name) =>
            OptionalString(name) ?? throw Error($"{_path}.{name}", "required string is missing");

        /// <summary>The string value, or null when the property is absent or <c>null</c>.</summary>
        public string? OptionalString(string name)
        {
            if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                return null;
            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw Error($"{_path}.{name}", $"expected a string, found {Describe(value)}");
        }

        public bool Bool(string name, bool defaultValue)
        {
            if (!_properties.TryGetValue(name, out var value))
                return defaultValue;
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error($"{_path}.{name}", $"expected true or false, found {Describe(value)}"),
            };
        }

        /// <summary>The items of an array property with their paths; an absent property is an empty array.</summary>
        public List<(JsonElement Element, string Path)> Array(string name)
        {
            if (!_properties.TryGetValue(name, out var value))
                return [];
            if (value.ValueKind != JsonValueKind.Array)
                throw Error($"{_path}.{name}", $"expected an array, found {Describe(value)}");
            return value.EnumerateArray().Select((item, index) => (item, $"{_path}.{name}[{index}]")).ToList();
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
            JsonValueKind.Null => "null",
            _ => value.ValueKind.ToString(),
        };
    }
}
