namespace UpdateFunctions.Storage;

/// <summary>
/// Where app data and bundles live (configuration section <c>Storage</c>, app settings <c>Storage__Key</c>).
/// Either <see cref="ConnectionString"/> (Azurite, development) or both service URIs (Azure, managed identity).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>A storage connection string, e.g. <c>UseDevelopmentStorage=true</c>. Wins over the service URIs when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint, e.g. <c>https://account.table.core.windows.net</c>, reached with <c>DefaultAzureCredential</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Blob endpoint, e.g. <c>https://account.blob.core.windows.net</c>, reached with <c>DefaultAzureCredential</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity to use; null for the system-assigned one or a developer login.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to every table name (letters and digits only), so tests and environments can share an account.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>Blob container of the bundle zips.</summary>
    public string BundlesContainer { get; set; } = "bundles";

    /// <summary>CDN base URL of the bundles container (e.g. <c>https://cdn.example/bundles</c>); null serves blob URLs directly.</summary>
    public Uri? BundleBaseUrl { get; set; }

    /// <summary>
    /// Creates the bundles container with anonymous read access to blobs. Only for local development on Azurite,
    /// where devices download straight from the emulator; in Azure the container stays private behind the CDN.
    /// </summary>
    public bool BundlesPublicRead { get; set; }

    /// <summary>How long an in-memory app snapshot counts as fresh before a background refresh starts.</summary>
    public TimeSpan SnapshotRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}
