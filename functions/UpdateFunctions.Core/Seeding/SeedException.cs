namespace UpdateFunctions.Core.Seeding;

/// <summary>A seed file that cannot be loaded: bad JSON, a schema error (the message names the JSON path), or a missing file.</summary>
public sealed class SeedException : Exception
{
    public SeedException() { }
    public SeedException(string message) : base(message) { }
    public SeedException(string message, Exception inner) : base(message, inner) { }
}
