namespace UpdateFunctions.Core.Management;

/// <summary>Append-only audit log (table <c>audit</c>).</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="appId"/> null lists every app and the global entries.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken);
}
