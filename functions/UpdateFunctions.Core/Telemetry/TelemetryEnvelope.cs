using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// The wire form of one <see cref="StatsEvent"/> on the telemetry transport (an Event Hubs event body): UTF-8 JSON,
/// snake_case, with a schema version <c>v</c> so the aggregator can tell formats apart.
/// </summary>
public sealed record TelemetryEnvelope
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")]
    public int Version { get; init; } = CurrentVersion;

    public required TelemetryDevice Device { get; init; }

    public required string Action { get; init; }

    public required string VersionName { get; init; }

    public string? OldVersionName { get; init; }

    public long? Timestamp { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The device's effective channel when the event was received; older envelopes lack it.</summary>
    public string? Channel { get; init; }

    /// <summary>The segments the device matched when the event was received; older envelopes lack them.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    public static TelemetryEnvelope FromStatsEvent(StatsEvent statsEvent)
    {
        ArgumentNullException.ThrowIfNull(statsEvent);
        var device = statsEvent.Device;
        return new TelemetryEnvelope
        {
            Device = new TelemetryDevice
            {
                AppId = device.AppId,
                DeviceId = device.DeviceId,
                Platform = device.Platform.ToWire(),
                VersionName = device.VersionName,
                VersionBuild = device.VersionBuild,
                IsEmulator = device.IsEmulator,
                IsProd = device.IsProd,
                IsOnBuiltin = device.IsOnBuiltin,
                VersionCode = device.VersionCode,
                VersionOs = device.VersionOs,
                PluginVersion = device.PluginVersion,
                CustomId = device.CustomId,
                DefaultChannel = device.DefaultChannel,
                InstallSource = device.InstallSource,
                KeyId = device.KeyId,
            },
            Action = statsEvent.Action,
            VersionName = statsEvent.VersionName,
            OldVersionName = statsEvent.OldVersionName,
            Timestamp = statsEvent.Timestamp,
            Metadata = statsEvent.Metadata,
            ReceivedAt = statsEvent.ReceivedAt,
            Channel = statsEvent.Channel,
            Segments = statsEvent.Segments,
        };
    }

    /// <summary>The event as UTF-8 JSON.</summary>
    public static byte[] Serialize(StatsEvent statsEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(FromStatsEvent(statsEvent), TelemetryJsonContext.Default.TelemetryEnvelope);

    /// <summary>
    /// Reads an event body. Never throws for bad input: returns false with a short reason (bad JSON, unknown schema
    /// version, missing or invalid field), so one poison event cannot block a partition.
    /// </summary>
    public static bool TryDeserialize(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out StatsEvent? statsEvent, [NotNullWhen(false)] out string? error)
    {
        statsEvent = null;
        TelemetryEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(utf8Json, TelemetryJsonContext.Default.TelemetryEnvelope);
        }
        catch (JsonException ex)
        {
            error = "invalid_json: " + ex.Message;
            return false;
        }

        if (envelope is null)
        {
            error = "invalid_json: null";
            return false;
        }

        return envelope.TryToStatsEvent(out statsEvent, out error);
    }

    /// <summary>Validates the envelope and builds the event.</summary>
    public bool TryToStatsEvent([NotNullWhen(true)] out StatsEvent? statsEvent, [NotNullWhen(false)] out string? error)
    {
        statsEvent = null;
        if (Version != CurrentVersion)
        {
            error = $"unsupported_version: {Version}";
            return false;
        }

        // Required members can still be JSON nulls.
        var device = Device;
        if (device is null || string.IsNullOrEmpty(device.AppId) || string.IsNullOrEmpty(device.DeviceId))
        {
            error = "missing_field: device.app_id or device.device_id";
            return false;
        }

        if (!PlatformNames.TryParse(device.Platform, out var platform))
        {
            error = $"invalid_field: device.platform '{device.Platform}'";
            return false;
        }

        if (string.IsNullOrEmpty(Action) || VersionName is null)
        {
            error = "missing_field: action or version_name";
            return false;
        }

        statsEvent = new StatsEvent(
            new DeviceInfo(
                device.AppId,
                device.DeviceId,
                platform,
                device.VersionName ?? "",
                device.VersionBuild ?? "",
                device.IsEmulator,
                device.IsProd,
                device.IsOnBuiltin,
                device.VersionCode,
                device.VersionOs,
                device.PluginVersion,
                device.CustomId,
                device.DefaultChannel,
                device.InstallSource,
                device.KeyId),
            Action,
            VersionName,
            OldVersionName,
            Timestamp,
            Metadata,
            ReceivedAt,
            Channel,
            Segments);
        error = null;
        return true;
    }
}

/// <summary>The device info of a <see cref="TelemetryEnvelope"/>.</summary>
public sealed record TelemetryDevice
{
    public required string AppId { get; init; }

    public required string DeviceId { get; init; }

    /// <summary><c>ios</c>, <c>android</c> or <c>electron</c>.</summary>
    public required string Platform { get; init; }

    public string? VersionName { get; init; }

    public string? VersionBuild { get; init; }

    public bool IsEmulator { get; init; }

    public bool IsProd { get; init; } = true;

    public bool IsOnBuiltin { get; init; }

    public string? VersionCode { get; init; }

    public string? VersionOs { get; init; }

    public string? PluginVersion { get; init; }

    public string? CustomId { get; init; }

    public string? DefaultChannel { get; init; }

    public string? InstallSource { get; init; }

    public string? KeyId { get; init; }
}

/// <summary>Source-generated System.Text.Json metadata for the telemetry wire types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelemetryEnvelope))]
public sealed partial class TelemetryJsonContext : JsonSerializerContext;
