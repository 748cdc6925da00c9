namespace UpdateFunctions.Core.Devices;

/// <summary>Validation and request errors shared by every device endpoint (docs/protocol.md). Wire names never change.</summary>
public static class DeviceErrors
{
    public const string InvalidJsonParseBody = "invalid_json_parse_body";
    public const string InvalidJsonBody = "invalid_json_body";
    public const string MissingDeviceId = "missing_device_id";
    public const string MissingAppId = "missing_app_id";
    public const string SemverError = "semver_error";
    public const string BodyTooLarge = "body_too_large";
    public const string AppNotFound = "app_not_found";
    public const string ServiceUnavailable = "service_unavailable";
    public const string MixedAppIds = "mixed_app_ids";
    public const string MissingChannel = "missing_channel";
    public const string ChannelNotFound = "channel_not_found";
    public const string ChannelSelfSetNotAllowed = "channel_self_set_not_allowed";
    public const string InvalidQueryParameters = "invalid_query_parameters";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotFound = "not_found";
    public const string EventTooLarge = "event_too_large";
    public const string RateLimited = "rate_limited";
}
