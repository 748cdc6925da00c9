namespace UpdateFunctions.Core.Management;

/// <summary>Append-only audit log (table <c>audit</c>); entries leave only through retention (<c>Retention__AuditDays</c>, default: never).</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="appId"/> null lists every app and the global entries.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken);

    /// <summary>Deletes entries older than <paramref name="before"/>, at most <paramref name="max"/> rows; returns how many (retention).</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);
}
