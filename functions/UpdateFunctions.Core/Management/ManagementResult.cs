namespace UpdateFunctions.Core.Management;

/// <summary>The kinds of refusal, each one HTTP status at the edge.</summary>
public enum ManagementErrorKind
{
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
}

/// <summary>An expected refusal with a stable code (docs/management-api.md).</summary>
public sealed record ManagementError(ManagementErrorKind Kind, string Code, string Message)
{
    public static ManagementError Invalid(string code, string message) => new(ManagementErrorKind.BadRequest, code, message);
    public static ManagementError NotFound(string code, string message) => new(ManagementErrorKind.NotFound, code, message);
    public static ManagementError Conflict(string message) => new(ManagementErrorKind.Conflict, ManagementErrors.Conflict, message);
    public static ManagementError Conflict(string code, string message) => new(ManagementErrorKind.Conflict, code, message);
    public static ManagementError Forbidden(string message) => new(ManagementErrorKind.Forbidden, ManagementErrors.Forbidden, message);
    public static ManagementError Stale(string message) => new(ManagementErrorKind.PreconditionFailed, ManagementErrors.PreconditionFailed, message);
}

/// <summary>What a management operation answered: a value (with its status and ETag) or an error. Never thrown.</summary>
public sealed record ManagementResult<T>(T? Value, ManagementError? Error, ManagementStatus Status = ManagementStatus.Ok, string? ETag = null)
{
    public static implicit operator ManagementResult<T>(ManagementError error) => new(default, error);
}

public static class ManagementResult
{
    public static ManagementResult<T> Ok<T>(T value, string? etag = null) => new(value, null, ManagementStatus.Ok, etag);
    public static ManagementResult<T> Created<T>(T value, string? etag = null) => new(value, null, ManagementStatus.Created, etag);
}

/// <summary>A value-less success (DELETE).</summary>
public sealed record NoContent
{
    public static readonly NoContent Instance = new();
    public static ManagementResult<NoContent> Result => new(Instance, null, ManagementStatus.NoContent);
}

public enum ManagementStatus
{
    Ok,
    Created,
    NoContent,
}

/// <summary>Stable error codes of the management API.</summary>
public static class ManagementErrors
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string InvalidBody = "invalid_body";
    public const string InvalidJson = "invalid_json";
    public const string InvalidVersion = "invalid_version";
    public const string InvalidId = "invalid_id";
    public const string BodyTooLarge = "body_too_large";
    public const string ChecksumMismatch = "checksum_mismatch";
    public const string SizeMismatch = "size_mismatch";
    public const string UploadMissing = "upload_missing";
    public const string AppNotFound = "app_not_found";
    public const string SegmentNotFound = "segment_not_found";
    public const string ChannelNotFound = "channel_not_found";
    public const string BundleNotFound = "bundle_not_found";
    public const string DeviceNotFound = "device_not_found";
    public const string KeyNotFound = "key_not_found";
    public const string RolloutNotFound = "rollout_not_found";
    public const string RolloutActive = "rollout_active";
    public const string InvalidTransition = "invalid_transition";
    public const string InvalidPercentage = "invalid_percentage";
    public const string Conflict = "conflict";
    public const string PartialUpdatesUnavailable = "partial_updates_unavailable";
    public const string PreconditionFailed = "precondition_failed";
    public const string StorageUnavailable = "storage_unavailable";
    public const string NotFound = "not_found";
}
