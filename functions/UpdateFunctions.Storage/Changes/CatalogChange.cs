namespace UpdateFunctions.Storage.Changes;

/// <summary>
/// One write to an app's catalog, at <paramref name="Position"/> in the app's change log (UTC ticks of the writer's
/// clock, taken before the row was written). When <paramref name="Known"/>, <paramref name="Value"/> is the row's
/// state after the write (null: deleted, a tombstone); otherwise the reader reads the row itself. Device changes in
/// the log carry their state; changes of the small tables are read back (they are rare and may be large).
/// </summary>
public sealed record CatalogChange(string AppId, CatalogEntityKind Kind, string Key, long Position, bool Known, object? Value)
{
    /// <summary>The key of a device change that stands for an import: many rows changed, reload them all.</summary>
    public const string ImportKey = "*";

    public bool IsImport => Kind == CatalogEntityKind.Device && Key == ImportKey;
}
