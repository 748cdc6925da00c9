namespace UpdateFunctions.Core.Management;

/// <summary>Durable API keys (table <c>apikeys</c>).</summary>
public interface IApiKeyStore
{
    /// <summary>Every key, revoked and expired ones included (a deployment has a few dozen).</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new key; a key with the same hash already stored is a <see cref="Persistence.ConcurrencyConflictException"/>.</summary>
    Task AddAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Replaces a stored key (revocation).</summary>
    Task UpdateAsync(ApiKey key, CancellationToken cancellationToken);
}
