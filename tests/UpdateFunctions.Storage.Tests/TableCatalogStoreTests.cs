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
    public async Task Rows_written_before_partial_updates_read_as_channels_without_them_and_bundles_without_manifest()
    {
        // The rows as the previous release wrote them: no PartialUpdates column, no Manifest* columns.
        var tables = _azurite.CreateTableServiceClient();
        var channels = tables.GetTableClient(_azurite.TablePrefix + "channels");
        var bundles = tables.GetTableClient(_azurite.TablePrefix + "bundles");
        await channels.CreateIfNotExistsAsync(Ct);
        await bundles.CreateIfNotExistsAsync(Ct);
        await channels.AddEntityAsync(new TableEntity(AppId, "production")
        {
            ["Id"] = 1L, ["Bundle"] = "1.0.0", ["Ios"] = true, ["Android"] = true, ["Electron"] = true, ["AllowDeviceSelfSet"] = false,
            ["AllowEmulator"] = true, ["AllowDevice"] = true, ["AllowDev"] = true, ["AllowProd"] = true,
            ["DisableAutoUpdate"] = "major", ["DisableAutoUpdateUnderNative"] = true,
        }, Ct);
        await bundles.AddEntityAsync(new TableEntity(AppId, "1.0.0")
        {
            ["BlobPath"] = $"{AppId}/{new string('a', 64)}.zip", ["Checksum"] = new string('a', 64), ["Size"] = 10L, ["SessionKey"] = "",
        }, Ct);

        var channel = (await _store.GetChannelAsync(AppId, "production", Ct))?.Value;
        var bundle = (await _store.GetBundleAsync(AppId, "1.0.0", Ct))?.Value;

        Assert.Equal(new ChannelDefinition("production", 1, "1.0.0"), channel);
        Assert.NotNull(bundle);
        Assert.Null(bundle.Manifest);
        Assert.Null(bundle.ManifestUnavailable);
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
