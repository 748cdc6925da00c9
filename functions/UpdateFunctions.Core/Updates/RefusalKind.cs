namespace UpdateFunctions.Core.Updates;

/// <summary>
/// The <c>kind</c> of a non-update answer. The v8 plugin counts an answer without <c>kind</c> as a failed
/// download, so every refusal carries one.
/// </summary>
public enum RefusalKind
{
    UpToDate,
    Blocked,
    Failed,
}

public static class RefusalKindNames
{
    public static string ToWire(this RefusalKind kind) => kind switch
    {
        RefusalKind.UpToDate => "up_to_date",
        RefusalKind.Blocked => "blocked",
        RefusalKind.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
