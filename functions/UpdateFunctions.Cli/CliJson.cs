using System.Text.Json.Serialization;
using UpdateFunctions.Cli.Configuration;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Cli;

/// <summary>
/// Source-generated JSON for the config file and the management API. The wire records are the server's own
/// (<see cref="ManagementJsonContext"/>'s); here they are read leniently (unknown members ignored, so an older CLI
/// still reads a newer server) and written without nulls, so an option not given is a member not sent.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(AppDto))]
[JsonSerializable(typeof(AppDto[]))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(PatchAppRequest))]
[JsonSerializable(typeof(ChannelDto))]
[JsonSerializable(typeof(ChannelDto[]))]
[JsonSerializable(typeof(ChannelRequest))]
[JsonSerializable(typeof(SetChannelBundleRequest))]
[JsonSerializable(typeof(CreateBundleRequest))]
[JsonSerializable(typeof(UploadTicketDto))]
[JsonSerializable(typeof(BundleDto))]
[JsonSerializable(typeof(BundleDto[]))]
[JsonSerializable(typeof(PutDeviceRequest))]
[JsonSerializable(typeof(DeviceDto))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreatedKeyDto))]
[JsonSerializable(typeof(WhoAmIDto))]
[JsonSerializable(typeof(KeyDto[]))]
[JsonSerializable(typeof(AuditDto[]))]
[JsonSerializable(typeof(CreateRolloutRequest))]
[JsonSerializable(typeof(SetRolloutPercentageRequest))]
[JsonSerializable(typeof(UpdateFunctions.Core.Telemetry.MetricsReport))]
internal sealed partial class CliJson : JsonSerializerContext;
