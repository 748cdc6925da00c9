using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Tables;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests;

public sealed class TableCatalogStoreTests : CatalogStoreContract, IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;
    private readonly Outage _outage = new();
    private readonly TableCatalogStore _store;

    public TableCatalogStoreTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _store = new TableCatalogStore(StorageClients.Tables(azurite, _outage), StorageClients.Options(azurite), Clock);
    }

    protected override ICatalogStore Store => _store;

    [Fact]
    public async Task Rows_follow_the_documented_layout_with_policies_as_wire_strings()
    {
        await _store.PutAppAsync(new AppDefinition(AppId, "Demo", "production"), WriteCondition.Create, Ct);
        await _store.PutChannelAsync(AppId, new ChannelDefinition("production", 1, "1.0.0", DisableAutoUpdate: AutoUpdatePolicy.VersionNumber), WriteCondition.Create, Ct);

        var tables = _azurite.CreateTableServiceClient();
        var app = await tables.GetTableClient(_azurite.TablePrefix + "apps").GetEntityAsync<TableEntity>(AppId, "app", cancellationToken: Ct);
        var channel = await tables.GetTableClient(_azurite.TablePrefix + "channels").GetEntityAsync<TableEntity>(AppId, "production", cancellationToken: Ct);

        Assert.Equal("Demo", app.Value.GetString("Name"));
        Assert.Equal("version_number", channel.Value.GetString("DisableAutoUpdate"));
        Assert.Equal(1L, channel.Value.GetInt64("Id"));
    }

    [Fact]
    public async Task Unreachable_table_service_is_StorageUnavailableException()
    {
        _outage.Unreachable = true;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.GetAppAsync(AppId, Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.LoadSnapshotAsync(AppId, Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.ListAppsAsync(Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.PutDeviceAsync(AppId, new DeviceRecord("d"), WriteCondition.Any, Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.DeleteDeviceAsync(AppId, "d", WriteCondition.Any, Ct));
        Assert.True(_outage.FailedRequests >= 5);
    }

    [Fact]
    public async Task Store_works_once_the_table_service_is_back()
    {
        _outage.Unreachable = true;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => _store.GetAppAsync(AppId, Ct));

        _outage.Unreachable = false;
        await _store.PutAppAsync(new AppDefinition(AppId, "Demo", null), WriteCondition.Create, Ct);

        Assert.NotNull(await _store.GetAppAsync(AppId, Ct));
    }

    [Fact]
    public void Table_prefix_with_other_than_letters_and_digits_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new TableCatalogStore(
            _azurite.CreateTableServiceClient(), StorageClients.Options(_azurite, o => o.TablePrefix = "my-prefix"), Clock));
    }
}
