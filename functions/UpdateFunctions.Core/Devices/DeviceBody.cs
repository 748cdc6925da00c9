using System.Text.Json;

namespace UpdateFunctions.Core.Devices;

/// <summary>Parses a device request body with the strict options every device endpoint shares.</summary>
public static class DeviceBody
{
    public static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument document, out ProtocolError error)
    {
        document = null!;
        error = null!;
        if (body.IsEmpty)
        {
            error = new(DeviceErrors.InvalidJsonParseBody, "The body is empty; a JSON object is expected.");
            return false;
        }
        try
        {
            document = JsonDocument.Parse(body, DeviceInfoReader.DocumentOptions);
            return true;
        }
        catch (JsonException ex)
        {
            error = new(DeviceErrors.InvalidJsonParseBody, $"The body is not valid JSON: {ex.Message}");
            return false;
        }
    }
}
