using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.CodePush;

/// <summary>Where CodePush releases and deployment keys are kept (Table Storage in production).</summary>
public interface ICodePushStore
{
    /// <summary>Every deployment key: a few per app, channel and platform, read whole into the in-memory index.</summary>
    Task<IReadOnlyList<DeploymentKey>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Adds a key; throws <see cref="ConcurrencyConflictException"/> when its hash exists.</summary>
    Task AddKeyAsync(DeploymentKey key, CancellationToken cancellationToken);

    Task DeleteKeyAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The app's releases on every channel, with their ETags.</summary>
    Task<IReadOnlyList<Versioned<CodePushRelease>>> ListReleasesAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Writes a release under <paramref name="condition"/> and returns its ETag; throws <see cref="ConcurrencyConflictException"/>.</summary>
    Task<string> PutReleaseAsync(string appId, CodePushRelease release, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>
    /// A token that changes after every key write (null before the first): one point read, so an idle refresh of the
    /// key index does not read every key.
    /// </summary>
    Task<string?> GetKeysVersionAsync(CancellationToken cancellationToken);

    /// <summary>A token that changes after every release write of the app (null before the first).</summary>
    Task<string?> GetReleasesVersionAsync(string appId, CancellationToken cancellationToken);
}
