namespace UpdateFunctions.Storage.Changes;

/// <summary>Which table a catalog change touched.</summary>
public enum CatalogEntityKind
{
    App,
    Channel,
    Bundle,
    Device,
    Segment,
    Rollout,
}
