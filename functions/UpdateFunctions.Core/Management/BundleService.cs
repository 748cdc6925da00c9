using System.Security.Cryptography;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Versions;
using static UpdateFunctions.Core.Management.ManagementRefusals;
using static UpdateFunctions.Core.Management.ManagementChanges;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Bundles: direct-to-blob upload (announce, then commit after verifying the bytes), list, read, delete.
/// </summary>
public sealed class BundleService(
    ManagementChanges changes,
    ICatalogStore catalog,
    IBundleBlobStore blobs,
    IPendingUploadStore uploads,
    IBundleStaging staging,
    IDownloadUrlSource urls,
    BundleManifestBuilder manifests,
    ManagementOptions options,
    TimeProvider clock)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    private const int MaxTextLength = 1024;

    /// <summary>
    /// Announces an upload: records it as pending (table <c>uploads</c>, invisible to update checks) and hands out a
    /// write-only SAS for a fresh staging blob. A version committed already answers with its bundle when the SHA-256
    /// is the same (idempotent) and 409 when it differs.
    /// </summary>
    public async Task<ManagementResult<object>> StartUploadAsync(
        ManagementCaller caller, string appId, CreateBundleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!BundleVersion.IsValid(request.Version))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'version' must be a strict semver version, e.g. 1.2.3.");
        if (request.Size is not > 0)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'size' must be the positive byte size of the zip.");
        var sha256 = request.Sha256?.ToLowerInvariant();
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'sha256' must be the 64 hex digits of the zip's SHA-256.");
        if (request.MinUpdateVersion is not null && !BundleVersion.IsValid(request.MinUpdateVersion))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'minUpdateVersion' must be a strict semver version.");
        if (new[] { request.Link, request.Comment, request.SessionKey, request.KeyId, request.DeviceChecksum }.Any(t => t is { Length: > MaxTextLength }))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'link', 'comment', 'sessionKey', 'keyId' and 'deviceChecksum' are at most {MaxTextLength} characters.");
        // An encrypted bundle's devices verify the RSA-encrypted checksum of the plain zip, which the server cannot
        // compute without the private key: the uploader sends it, and only together with the session key.
        if ((request.DeviceChecksum is null) != string.IsNullOrEmpty(request.SessionKey))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'deviceChecksum' and 'sessionKey' go together: both for an encrypted bundle, neither for a plain one.");

        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        if (await catalog.GetBundleAsync(appId, request.Version, cancellationToken) is { } existing)
        {
            return string.Equals(StoredSha256(existing.Value), sha256, StringComparison.Ordinal)
                ? new ManagementResult<object>(await AnswerAsync(existing.Value, cancellationToken), null, ManagementStatus.Ok, existing.ETag)
                : ManagementError.Conflict($"Version {request.Version} of '{appId}' exists already with different bytes (sha256 {StoredSha256(existing.Value)}).");
        }

        var now = clock.GetUtcNow();
        var expiresAt = now + options.UploadWindow;
        var stagingPath = $"staging/{appId}/{request.Version}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}.zip";
        var pending = new PendingUpload(appId, request.Version, sha256, request.Size.Value, stagingPath, expiresAt, now,
            request.MinUpdateVersion, request.Link, request.Comment, request.SessionKey, request.KeyId, request.DeviceChecksum);
        var previous = await uploads.GetAsync(appId, request.Version, cancellationToken);
        var uploadUrl = await staging.CreateUploadUriAsync(stagingPath, expiresAt, cancellationToken);
        await uploads.PutAsync(pending, cancellationToken);
        if (previous is not null && previous.StagingPath != stagingPath)
            await staging.DeleteAsync(previous.StagingPath, cancellationToken);
        await changes.AuditAsync(caller, "bundle.upload", appId, $"apps/{appId}/bundles/{request.Version}", null,
            new UploadTicketDto(request.Version, StripQuery(uploadUrl), expiresAt, "pending"), Json.UploadTicketDto, cancellationToken);
        return new ManagementResult<object>(new UploadTicketDto(request.Version, uploadUrl, expiresAt, "pending"), null, ManagementStatus.Created);
    }

    /// <summary>
    /// Verifies the staged zip (size and SHA-256, streamed), stores it content-addressed and immutable, builds its
    /// per-file manifest (partial updates; files shared with other versions are stored once), and only then
    /// writes the visible bundle row (insert-only, so a concurrent commit cannot overwrite). A mismatch deletes the
    /// staged blob and leaves nothing visible; the pending record stays so the client can upload again.
    /// </summary>
    public async Task<ManagementResult<BundleDto>> CommitUploadAsync(
        ManagementCaller caller, string appId, string version, CancellationToken cancellationToken)
    {
        if (!BundleVersion.IsValid(version))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "The version must be a strict semver version, e.g. 1.2.3.");
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);

        var pending = await uploads.GetAsync(appId, version, cancellationToken);
        if (pending is null)
        {
            // Committed before (a retried commit) answers with the bundle; otherwise nothing was announced.
            return await catalog.GetBundleAsync(appId, version, cancellationToken) is { } committed
                ? ManagementResult.Ok(await AnswerAsync(committed.Value, cancellationToken), committed.ETag)
                : ManagementError.NotFound(ManagementErrors.BundleNotFound, $"No upload of version {version} was started for '{appId}' (POST …/bundles first).");
        }

        var staged = await staging.HashAsync(pending.StagingPath, cancellationToken);
        if (staged is null)
            return ManagementError.Invalid(ManagementErrors.UploadMissing, $"Nothing was uploaded for version {version} yet: PUT the zip to the upload URL, then commit.");
        if (staged.Size != pending.Size)
        {
            await staging.DeleteAsync(pending.StagingPath, cancellationToken);
            return ManagementError.Invalid(ManagementErrors.SizeMismatch, $"The upload has {staged.Size} bytes, {pending.Size} were declared; it was discarded.");
        }
        if (!string.Equals(staged.Sha256, pending.Sha256, StringComparison.Ordinal))
        {
            await staging.DeleteAsync(pending.StagingPath, cancellationToken);
            return ManagementError.Invalid(ManagementErrors.ChecksumMismatch, $"The upload's SHA-256 is {staged.Sha256}, {pending.Sha256} was declared; it was discarded.");
        }

        var stored = await staging.PromoteAsync(appId, staged, cancellationToken);
        var (manifest, manifestUnavailable) = string.IsNullOrEmpty(pending.SessionKey)
            ? await manifests.BuildStoredAsync(appId, stored, cancellationToken)
            : (null, ManifestUnavailableReasons.EncryptedBundle);
        var bundle = new BundleDefinition(version, stored.BlobPath, null, pending.DeviceChecksum ?? stored.Sha256, stored.Size, pending.SessionKey ?? "",
            pending.KeyId, pending.MinUpdateVersion, pending.Link, pending.Comment, clock.GetUtcNow(), manifest, manifestUnavailable);
        string etag;
        try
        {
            etag = await catalog.PutBundleAsync(appId, bundle, WriteCondition.Create, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var winner = await catalog.GetBundleAsync(appId, version, cancellationToken);
            if (winner is null || !string.Equals(StoredSha256(winner.Value), stored.Sha256, StringComparison.Ordinal))
                return ManagementError.Conflict($"Version {version} of '{appId}' was committed meanwhile with different bytes.");
            bundle = winner.Value;
            etag = winner.ETag;
        }

        await staging.DeleteAsync(pending.StagingPath, cancellationToken);
        await uploads.DeleteAsync(appId, version, cancellationToken);
        await changes.AuditAsync(caller, "bundle.create", appId, $"apps/{appId}/bundles/{version}", null, bundle.ToDto(blobs), Json.BundleDto, cancellationToken);
        changes.Invalidate(appId);
        return ManagementResult.Ok(await AnswerAsync(bundle, cancellationToken), etag);
    }

    public async Task<ManagementResult<List<BundleDto>>> ListBundlesAsync(string appId, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var signer = await urls.GetSignerAsync(cancellationToken);
        return ManagementResult.Ok(snapshot.Bundles.Values
            .OrderByDescending(b => b.Version, Comparer<string>.Create((x, y) =>
                snapshot.TryGetParsedVersion(x, out var vx) && snapshot.TryGetParsedVersion(y, out var vy)
                    ? BundleVersion.Compare(vx, vy)
                    : string.CompareOrdinal(x, y)))
            .Select(b => Answer(b, signer)).ToList());
    }

    public async Task<ManagementResult<BundleDto>> GetBundleAsync(string appId, string version, CancellationToken cancellationToken)
    {
        if (!BundleVersion.IsValid(version))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "The version must be a strict semver version, e.g. 1.2.3.");
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        var bundle = await catalog.GetBundleAsync(appId, version, cancellationToken);
        return bundle is null
            ? ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{version}' does not exist in app '{appId}'.")
            : ManagementResult.Ok(await AnswerAsync(bundle.Value, cancellationToken), bundle.ETag);
    }

    /// <summary>
    /// Removes the version; refused while a channel serves it or a device is pinned to it. The content-addressed blob
    /// stays: another version may share its bytes, and CDN caches hold it as immutable anyway.
    /// </summary>
    public async Task<ManagementResult<NoContent>> DeleteBundleAsync(
        ManagementCaller caller, string appId, string version, string? ifMatch, CancellationToken cancellationToken)
    {
        if (!BundleVersion.IsValid(version))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "The version must be a strict semver version, e.g. 1.2.3.");
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var bundle = await catalog.GetBundleAsync(appId, version, cancellationToken);
        if (bundle is null)
            return ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{version}' does not exist in app '{appId}'.");
        if (ifMatch is not null && !ETagMatches(ifMatch, bundle.ETag))
            return ManagementError.Stale($"Bundle '{version}' changed since it was read.");
        if (snapshot.Channels.Values.FirstOrDefault(c => c.Bundle == version) is { } channel)
            return ManagementError.Conflict($"Bundle {version} is served by channel '{channel.Name}': point the channel elsewhere first.");
        if (snapshot.Rollouts.FirstOrDefault(r => UsesBundle(snapshot, r, version)) is { } rollout)
            return ManagementError.Conflict($"Bundle {version} is the {(rollout.TargetBundle == version ? "target" : "baseline")} of rollout '{rollout.Id}' ({Rollouts.RolloutTransitions.ToWire(rollout.State)}) on channel '{rollout.Channel}'.");
        if (snapshot.Devices.Values.FirstOrDefault(d => d.PinnedBundle == version) is { } device)
            return ManagementError.Conflict($"Bundle {version} is pinned on device '{device.DeviceId}': remove the pin first.");

        try
        {
            await catalog.DeleteBundleAsync(appId, version, WriteCondition.Matching(bundle.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Stale($"Bundle '{version}' changed while it was being deleted; read it again.");
        }

        await changes.AuditAsync(caller, "bundle.delete", appId, $"apps/{appId}/bundles/{version}", bundle.Value.ToDto(blobs), null, Json.BundleDto, cancellationToken);
        changes.Invalidate(appId);
        return NoContent.Result;
    }

    /// <summary>
    /// Whether a rollout may still send devices to <paramref name="version"/>: one that is not over uses both its
    /// bundles; one that ended and still governs its channel uses its baseline, and its target if it completed.
    /// </summary>
    private static bool UsesBundle(AppSnapshot snapshot, Rollouts.RolloutDefinition rollout, string version)
    {
        if (rollout.IsActive)
            return rollout.TargetBundle == version || rollout.BaselineBundle == version;
        if (!ReferenceEquals(snapshot.FindRolloutPlan(rollout.Channel)?.Rollout, rollout))
            return false;
        return rollout.BaselineBundle == version || (rollout.State == Rollouts.RolloutState.Completed && rollout.TargetBundle == version);
    }

    /// <summary>
    /// A bundle as answered to a caller: its URL is the one devices get (signed when the container is private), so it
    /// downloads. Audit entries keep <see cref="ManagementMapping.ToDto(BundleDefinition, IBundleBlobStore)"/>'s
    /// unsigned URL: the log never holds a usable SAS.
    /// </summary>
    private async Task<BundleDto> AnswerAsync(BundleDefinition bundle, CancellationToken cancellationToken) =>
        Answer(bundle, await urls.GetSignerAsync(cancellationToken));

    private BundleDto Answer(BundleDefinition bundle, DownloadUrlSigner signer) =>
        bundle.BlobPath is { } path ? bundle.ToDto(blobs) with { Url = signer.GetUrl(path) } : bundle.ToDto(blobs);

    /// <summary>The audit log never keeps a usable SAS.</summary>
    private static Uri StripQuery(Uri uri) => new(uri.GetLeftPart(UriPartial.Path));

    /// <summary>
    /// The SHA-256 of the stored bytes: the name of a content-addressed blob (<c>{app}/{sha256}.zip</c>); for external
    /// bundles, the checksum given. An encrypted bundle's <c>Checksum</c> is its device checksum, not this.
    /// </summary>
    private static string StoredSha256(BundleDefinition bundle) =>
        bundle.BlobPath is { } path && Path.GetFileNameWithoutExtension(path) is { Length: 64 } name ? name : bundle.Checksum;
}
