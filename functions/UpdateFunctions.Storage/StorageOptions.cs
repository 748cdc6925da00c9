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

    /// <summary>
    /// Private blob container of uploads in progress (never anonymous-readable, never behind the CDN); null means
    /// <c>{BundlesContainer}-staging</c>. A blob lifecycle rule deletes what is left there after a day.
    /// </summary>
    public string? StagingContainer { get; set; }

    /// <summary>The staging container's name: <see cref="StagingContainer"/> or <c>{BundlesContainer}-staging</c>.</summary>
    public string StagingContainerName => string.IsNullOrEmpty(StagingContainer) ? BundlesContainer + "-staging" : StagingContainer;

    /// <summary>CDN base URL of the bundles container (e.g. <c>https://cdn.example/bundles</c>); null serves blob URLs directly.</summary>
    public Uri? BundleBaseUrl { get; set; }

    /// <summary>
    /// Creates the bundles container with anonymous read access to blobs. Only for local development on Azurite,
    /// where devices download straight from the emulator; in Azure the container stays private behind the CDN.
    /// </summary>
    public bool BundlesPublicRead { get; set; }

    /// <summary>How long an in-memory app snapshot counts as fresh before a background refresh starts.</summary>
    public TimeSpan SnapshotRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Short-lived signed download URLs for a private bundles container (section <c>Storage:SignedUrls</c>).</summary>
    public SignedUrlOptions SignedUrls { get; set; } = new();
}

/// <summary>
/// Update answers carry read SAS URLs of the blob endpoint instead of CDN URLs, so devices read a private container
/// directly: a user-delegation SAS with managed identity (Azure, shared keys off), an account-key SAS with a
/// connection string (Azurite). App settings <c>Storage__SignedUrls__Enabled</c> and <c>Storage__SignedUrls__Lifetime</c>.
/// </summary>
public sealed class SignedUrlOptions
{
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    public bool Enabled { get; set; }

    /// <summary>
    /// How long a signed URL is valid. URLs are signed per half of it and handed out during that half, so a device
    /// always gets one valid for at least half the lifetime (7.5 minutes with the default 15), and every check in
    /// the same half gets the same URL.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);
}
