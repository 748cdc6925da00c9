using System.Text.Json.Serialization;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Cli.Configuration;

namespace UpdateFunctions.Cli;

/// <summary>Source-generated JSON for the management API (camelCase) and the config file.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(App))]
[JsonSerializable(typeof(App[]))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(Channel))]
[JsonSerializable(typeof(Channel[]))]
[JsonSerializable(typeof(SetChannelBundleRequest))]
[JsonSerializable(typeof(CreateBundleRequest))]
[JsonSerializable(typeof(UploadTicket))]
[JsonSerializable(typeof(Bundle))]
[JsonSerializable(typeof(Bundle[]))]
[JsonSerializable(typeof(Device))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(ApiKey))]
[JsonSerializable(typeof(ApiKey[]))]
[JsonSerializable(typeof(AuditEntry[]))]
[JsonSerializable(typeof(UpdateFunctions.Core.Telemetry.MetricsReport))]
internal sealed partial class CliJson : JsonSerializerContext;
