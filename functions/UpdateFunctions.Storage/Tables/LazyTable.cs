using Azure.Data.Tables;

namespace UpdateFunctions.Storage.Tables;

/// <summary>A table client whose table is created once, on first use, and remembered for the process.</summary>
internal sealed class LazyTable(TableClient client)
{
    private volatile bool _exists;

    public string Name => client.Name;

    public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (!_exists)
        {
            // Concurrent first callers may both ask; CreateIfNotExists is idempotent, and a failure is not remembered.
            await client.CreateIfNotExistsAsync(cancellationToken);
            _exists = true;
        }

        return client;
    }
}
