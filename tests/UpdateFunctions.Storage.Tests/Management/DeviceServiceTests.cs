using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class DeviceServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string AppId = "com.acme.app";
    private const string DeviceId = "0c0ffee0-0000-4000-8000-0000000000b1";
    private readonly ManagementTestBed _bed = new(azurite);

    private DeviceService Devices => _bed.Get<DeviceService>();

    [Fact]
    public async Task An_override_becomes_the_device_s_effective_channel()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");
        await _bed.Catalog.PutChannelAsync(AppId, new ChannelDefinition("beta", 2, "1.0.0"), WriteCondition.Create, Ct);

        var before = await Devices.GetDeviceAsync(AppId, DeviceId, null, null, Ct);
        var put = await Devices.PutDeviceAsync(ManagementTestBed.Writer, AppId, DeviceId, new PutDeviceRequest("beta", null), null, Ct);

        Assert.Equal("production", before.Value!.EffectiveChannel);
        Assert.Equal(("beta", "beta"), (put.Value!.Channel, put.Value.EffectiveChannel));
        Assert.Equal("beta", (await _bed.Catalog.GetDeviceAsync(AppId, DeviceId, Ct))!.Value.OverrideChannel);
    }

    [Fact]
    public async Task An_override_naming_a_missing_channel_is_404()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Devices.PutDeviceAsync(ManagementTestBed.Writer, AppId, DeviceId, new PutDeviceRequest("nightly", null), null, Ct);

        Assert.Equal(ManagementErrors.ChannelNotFound, refused.Error?.Code);
        Assert.Null(await _bed.Catalog.GetDeviceAsync(AppId, DeviceId, Ct));
    }

    [Fact]
    public async Task Removing_the_override_of_a_device_without_one_is_404()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Devices.DeleteDeviceAsync(ManagementTestBed.Writer, AppId, DeviceId, null, Ct);

        Assert.Equal(ManagementErrors.DeviceNotFound, refused.Error?.Code);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
