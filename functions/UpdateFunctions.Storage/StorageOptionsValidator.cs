using Microsoft.Extensions.Options;

namespace UpdateFunctions.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start-up, so a misconfigured app fails before its first request.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <summary>Longest table prefix that keeps the longest table name (<c>channels</c>) within Azure's 63 characters.</summary>
    internal const int MaxTablePrefixLength = 63 - 8;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ConnectionString)
            && (options.TableServiceUri is null || options.BlobServiceUri is null))
        {
            failures.Add("Storage: set Storage__ConnectionString, or both Storage__TableServiceUri and Storage__BlobServiceUri.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (options.TableServiceUri is { } tables && !IsAbsoluteHttp(tables))
                failures.Add($"Storage__TableServiceUri must be an absolute http(s) URI, not '{tables}'.");
            if (options.BlobServiceUri is { } blobs && !IsAbsoluteHttp(blobs))
                failures.Add($"Storage__BlobServiceUri must be an absolute http(s) URI, not '{blobs}'.");
        }

        if (!IsValidTablePrefix(options.TablePrefix))
        {
            failures.Add($"Storage__TablePrefix must be empty or start with a letter, hold letters and digits only and be at most {MaxTablePrefixLength} characters, not '{options.TablePrefix}'.");
        }

        if (!IsValidContainerName(options.BundlesContainer))
        {
            failures.Add($"Storage__BundlesContainer must be a valid container name (3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit), not '{options.BundlesContainer}'.");
        }

        if (!IsValidContainerName(options.StagingContainerName) || options.StagingContainerName == options.BundlesContainer)
        {
            failures.Add($"Storage__StagingContainer must be a valid container name other than the bundles container (default: the bundles container's name + '-staging'), not '{options.StagingContainerName}'.");
        }

        if (options.BundleBaseUrl is { } cdn && !IsAbsoluteHttp(cdn))
            failures.Add($"Storage__BundleBaseUrl must be an absolute http(s) URL, not '{cdn}'.");

        if (options.SnapshotRefreshInterval <= TimeSpan.Zero)
            failures.Add($"Storage__SnapshotRefreshInterval must be positive, not {options.SnapshotRefreshInterval}.");

        if (options.SignedUrls is { } signed)
        {
            if (signed.Lifetime < SignedUrlOptions.MinLifetime || signed.Lifetime > SignedUrlOptions.MaxLifetime)
                failures.Add($"Storage__SignedUrls__Lifetime must be between {SignedUrlOptions.MinLifetime} and {SignedUrlOptions.MaxLifetime}, not {signed.Lifetime}.");
            if (signed.Enabled && options.BundlesPublicRead)
                failures.Add("Storage__SignedUrls__Enabled needs a private bundles container: set Storage__BundlesPublicRead to false.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsValidTablePrefix(string? prefix) =>
        prefix is not null
        && prefix.Length <= MaxTablePrefixLength
        && (prefix.Length == 0 || char.IsAsciiLetter(prefix[0]))
        && prefix.All(char.IsAsciiLetterOrDigit);

    internal static bool IsValidContainerName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    private static bool IsAbsoluteHttp(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
