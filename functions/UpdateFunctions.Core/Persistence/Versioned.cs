namespace UpdateFunctions.Core.Persistence;

/// <summary>A stored value with the entity tag it was read at, for optimistic concurrency.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>The precondition of a guarded write.</summary>
public readonly record struct WriteCondition
{
    private WriteCondition(string? ifMatch, bool mustNotExist)
    {
        IfMatch = ifMatch;
        MustNotExist = mustNotExist;
    }

    /// <summary>The entity tag the stored row must still have, or null.</summary>
    public string? IfMatch { get; }

    /// <summary>The row must not exist yet (insert only).</summary>
    public bool MustNotExist { get; }

    /// <summary>Insert: fails with <see cref="ConcurrencyConflictException"/> when the row exists.</summary>
    public static WriteCondition Create => new(null, true);

    /// <summary>Replace only if nobody wrote since <paramref name="etag"/> was read.</summary>
    public static WriteCondition Matching(string etag) => new(etag, false);

    /// <summary>Create or replace unconditionally (seed loading, idempotent writes).</summary>
    public static WriteCondition Any => new(null, false);
}
