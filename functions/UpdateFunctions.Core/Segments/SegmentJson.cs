using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Segments;

/// <summary>
/// The JSON form of a segment, shared by seed files, the <c>segments</c> table and the management API:
/// <code>
/// {"name":"enterprise","match":"all","description":"…","conditions":[
///   {"platform":["ios","android"]}, {"versionBuild":{"min":"1.2.0","max":"2.0.0"}}, {"versionName":{"min":"1.0.0"}},
///   {"customId":"acme"}, {"customIdPrefix":"ent-"}, {"customIdIn":["a","b"]}, {"channel":["beta"]},
///   {"isEmulator":false}, {"isProd":true}, {"deviceIds":["0c0ffee0-…"]}]}
/// </code>
/// Each condition object has exactly one property. Version ranges include <c>min</c> and exclude <c>max</c>.
/// </summary>
public static class SegmentJson
{
    public const int MaxConditions = 32;
    public const int MaxListEntries = 10_000;
    public const int MaxDescriptionLength = 256;

    public static bool TryRead(JsonElement element, [NotNullWhen(true)] out SegmentDefinition? segment, [NotNullWhen(false)] out string? error)
    {
        segment = null;
        if (element.ValueKind != JsonValueKind.Object)
            return Fail("a segment must be an object", out error);

        string? name = null, description = null;
        var match = SegmentMatch.All;
        var conditions = new List<SegmentCondition>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (!SegmentDefinition.IsValidName(name))
                        return Fail("name must be 1-64 letters, digits, '.', '_' or '-', and not 'all'", out error);
                    break;
                case "match":
                    match = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() switch
                    {
                        "all" => SegmentMatch.All,
                        "any" => SegmentMatch.Any,
                        _ => (SegmentMatch)(-1),
                    } : (SegmentMatch)(-1);
                    if ((int)match < 0)
                        return Fail("match must be \"all\" or \"any\"", out error);
                    break;
                case "description":
                    description = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (description is null || description.Length > MaxDescriptionLength)
                        return Fail($"description must be a string of at most {MaxDescriptionLength} characters", out error);
                    break;
                case "conditions":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                        return Fail("conditions must be an array", out error);
                    if (property.Value.GetArrayLength() is 0 or > MaxConditions)
                        return Fail($"a segment has 1 to {MaxConditions} conditions", out error);
                    var index = 0;
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (!TryReadCondition(item, out var condition, out var conditionError))
                            return Fail($"conditions[{index}]: {conditionError}", out error);
                        conditions.Add(condition);
                        index++;
                    }
                    break;
                default:
                    return Fail($"unknown property '{property.Name}'", out error);
            }
        }
        if (name is null)
            return Fail("name is required", out error);
        if (conditions.Count == 0)
            return Fail("conditions are required", out error);

        segment = new SegmentDefinition(name, match, conditions, description);
        error = null;
        return true;
    }

    public static bool TryParse(string json, [NotNullWhen(true)] out SegmentDefinition? segment, [NotNullWhen(false)] out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(json, DeviceInfoReader.DocumentOptions);
            return TryRead(document.RootElement, out segment, out error);
        }
        catch (JsonException ex)
        {
            segment = null;
            error = $"not valid JSON: {ex.Message}";
            return false;
        }
    }

    public static string Write(SegmentDefinition segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, segment);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, SegmentDefinition segment)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(segment);
        writer.WriteStartObject();
        writer.WriteString("name", segment.Name);
        writer.WriteString("match", segment.Match == SegmentMatch.All ? "all" : "any");
        if (segment.Description is not null)
            writer.WriteString("description", segment.Description);
        writer.WriteStartArray("conditions");
        foreach (var condition in segment.Conditions)
        {
            writer.WriteStartObject();
            switch (condition)
            {
                case PlatformCondition c: WriteList(writer, "platform", c.Platforms.Select(p => p.ToWire())); break;
                case VersionRangeCondition c:
                    writer.WriteStartObject(c.NativeVersion ? "versionBuild" : "versionName");
                    if (c.Min is not null) writer.WriteString("min", c.Min.ToString());
                    if (c.Max is not null) writer.WriteString("max", c.Max.ToString());
                    writer.WriteEndObject();
                    break;
                case CustomIdEqualsCondition c: writer.WriteString("customId", c.Value); break;
                case CustomIdPrefixCondition c: writer.WriteString("customIdPrefix", c.Prefix); break;
                case CustomIdInCondition c: WriteList(writer, "customIdIn", c.Values); break;
                case ChannelCondition c: WriteList(writer, "channel", c.Channels); break;
                case EmulatorCondition c: writer.WriteBoolean("isEmulator", c.IsEmulator); break;
                case ProdCondition c: writer.WriteBoolean("isProd", c.IsProd); break;
                case DeviceIdInCondition c: WriteList(writer, "deviceIds", c.DeviceIds); break;
                default: throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}.");
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static bool TryReadCondition(JsonElement item, [NotNullWhen(true)] out SegmentCondition? condition, [NotNullWhen(false)] out string? error)
    {
        condition = null;
        if (item.ValueKind != JsonValueKind.Object)
            return Fail("a condition must be an object with one property", out error);
        using var properties = item.EnumerateObject();
        if (!properties.MoveNext())
            return Fail("a condition must have one property", out error);
        var property = properties.Current;
        if (properties.MoveNext())
            return Fail("a condition has exactly one property", out error);

        var value = property.Value;
        switch (property.Name)
        {
            case "platform":
                if (!TryReadList(value, 3, out var platformNames, out error))
                    return false;
                var platforms = new HashSet<Platform>();
                foreach (var platformName in platformNames)
                {
                    if (!PlatformNames.TryParse(platformName, out var platform))
                        return Fail($"unknown platform '{platformName}'", out error);
                    platforms.Add(platform);
                }
                condition = new PlatformCondition(platforms.ToFrozenSet());
                break;
            case "versionBuild" or "versionName":
                if (!TryReadRange(value, out var min, out var max, out error))
                    return false;
                condition = new VersionRangeCondition(property.Name == "versionBuild",
                    min is null ? null : ParseVersion(min), max is null ? null : ParseVersion(max));
                break;
            case "customId" or "customIdPrefix":
                if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= DeviceInfoReader.MaxCustomIdLength } text)
                    return Fail($"{property.Name} must be a string of 1 to {DeviceInfoReader.MaxCustomIdLength} characters", out error);
                condition = property.Name == "customId" ? new CustomIdEqualsCondition(text) : new CustomIdPrefixCondition(text);
                break;
            case "customIdIn":
                if (!TryReadList(value, MaxListEntries, out var ids, out error))
                    return false;
                condition = new CustomIdInCondition(ids.ToFrozenSet(StringComparer.Ordinal));
                break;
            case "channel":
                if (!TryReadList(value, 256, out var channels, out error))
                    return false;
                condition = new ChannelCondition(channels.ToFrozenSet(StringComparer.Ordinal));
                break;
            case "isEmulator" or "isProd":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return Fail($"{property.Name} must be true or false", out error);
                condition = property.Name == "isEmulator" ? new EmulatorCondition(value.GetBoolean()) : new ProdCondition(value.GetBoolean());
                break;
            case "deviceIds":
                if (!TryReadList(value, MaxListEntries, out var devices, out error))
                    return false;
                if (devices.FirstOrDefault(d => !DeviceInfoReader.IsValidDeviceId(d)) is { } bad)
                    return Fail($"'{bad}' is not a device id", out error);
                condition = new DeviceIdInCondition(devices.Select(d => d.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal));
                break;
            default:
                return Fail($"unknown condition '{property.Name}'", out error);
        }
        error = null;
        return true;
    }

    private static Semver.SemVersion ParseVersion(string text) =>
        BundleVersion.TryParse(text, out var version) ? version : throw new InvalidOperationException("validated before");

    private static bool TryReadRange(JsonElement value, out string? min, out string? max, [NotNullWhen(false)] out string? error)
    {
        min = max = null;
        if (value.ValueKind != JsonValueKind.Object)
            return Fail("a version range is an object with min and/or max", out error);
        foreach (var bound in value.EnumerateObject())
        {
            if (bound.Name is not ("min" or "max"))
                return Fail($"unknown range bound '{bound.Name}'", out error);
            var text = bound.Value.ValueKind == JsonValueKind.String ? BundleVersion.NormalizeNative(bound.Value.GetString()) : null;
            if (text is null)
                return Fail($"{bound.Name} must be a semantic version", out error);
            if (bound.Name == "min") min = text; else max = text;
        }
        if (min is null && max is null)
            return Fail("a version range needs min or max", out error);
        if (min is not null && max is not null && BundleVersion.Compare(ParseVersion(min), ParseVersion(max)) >= 0)
            return Fail("min must be below max", out error);
        error = null;
        return true;
    }

    private static bool TryReadList(JsonElement value, int maxEntries, out List<string> values, [NotNullWhen(false)] out string? error)
    {
        values = [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 || value.GetArrayLength() > maxEntries)
            return Fail($"must be an array of 1 to {maxEntries} strings", out error);
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String || entry.GetString() is not { Length: > 0 and <= 128 } text)
                return Fail("list entries are non-empty strings of at most 128 characters", out error);
            values.Add(text);
        }
        error = null;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
