namespace UpdateFunctions.Core.Persistence;

/// <summary>A guarded write lost a race: the row changed (or appeared) since it was read. Re-read and retry.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException() { }
    public ConcurrencyConflictException(string message) : base(message) { }
    public ConcurrencyConflictException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Storage could not be reached and no cached data can stand in. Maps to 503 with <c>Retry-After</c>.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() { }
    public StorageUnavailableException(string message) : base(message) { }
    public StorageUnavailableException(string message, Exception inner) : base(message, inner) { }
}
