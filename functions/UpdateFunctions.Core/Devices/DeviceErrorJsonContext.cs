using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Devices;

/// <summary>
/// Serialises the bodies that carry human messages (errors, per-event stats results) with minimal escaping, so a
/// message reads <c>don't</c> in a terminal rather than <c>don\u0027t</c>. Safe here: these bodies are only ever sent
/// as <c>application/json</c>, never embedded in HTML, and the encoder still escapes quotes, backslashes and control
/// characters, so the JSON stays valid whatever a message echoes.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(StatsBatchBody))]
public sealed partial class DeviceErrorJsonContext : JsonSerializerContext
{
    public static DeviceErrorJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
