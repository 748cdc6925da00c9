using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.InMemory;

namespace UpdateFunctions.Storage.Tests;

public sealed class InMemoryCatalogStoreTests : CatalogStoreContract
{
    private readonly InMemoryCatalogStore _store;

    public InMemoryCatalogStoreTests() => _store = new InMemoryCatalogStore(Clock);

    protected override ICatalogStore Store => _store;

    [Fact]
    public async Task Concurrent_guarded_writes_from_one_etag_let_exactly_one_win()
    {
        var etag = await _store.PutChannelAsync(AppId, new ChannelDefinition("beta", 1, "1.0.0"), WriteCondition.Create, Ct);

        var attempts = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await _store.PutChannelAsync(AppId, new ChannelDefinition("beta", 1, $"2.0.{i}"), WriteCondition.Matching(etag), Ct);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));

        Assert.Single(await Task.WhenAll(attempts), won => won);
    }
}
