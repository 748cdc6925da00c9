namespace UpdateFunctions.Core.Management;

/// <summary>One change made through the management API.</summary>
/// <param name="AppId">The app changed, or null for global changes (API keys).</param>
/// <param name="Before">JSON of the resource before the change, null when it was created.</param>
/// <param name="After">JSON of the resource after the change, null when it was deleted.</param>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string KeyId,
    string Action,
    string? AppId,
    string Resource,
    string? Before,
    string? After);
