using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class ChannelServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string AppId = "com.acme.app";
    private readonly ManagementTestBed _bed = new(azurite);

    private ChannelService Channels => _bed.Get<ChannelService>();

    [Fact]
    public async Task Create_numbers_the_channel_after_the_others_and_keeps_the_defaults_not_given()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var created = await Channels.CreateChannelAsync(ManagementTestBed.Writer, AppId, new ChannelRequest("beta", Ios: false), Ct);

        Assert.Equal((ManagementStatus.Created, 2L, false, true, false), (created.Status, created.Value!.Id, created.Value.Ios, created.Value.Android, created.Value.Public));
    }

    [Fact]
    public async Task Setting_a_bundle_the_app_does_not_have_is_404()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Channels.SetChannelBundleAsync(ManagementTestBed.Writer, AppId, "production", new SetChannelBundleRequest("9.9.9"), null, Ct);

        Assert.Equal(ManagementErrors.BundleNotFound, refused.Error?.Code);
        Assert.Equal("1.0.0", (await _bed.Catalog.GetChannelAsync(AppId, "production", Ct))!.Value.Bundle);
    }

    [Fact]
    public async Task Setting_the_bundle_audits_before_and_after()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0", "1.1.0");

        var changed = await Channels.SetChannelBundleAsync(ManagementTestBed.Writer, AppId, "production", new SetChannelBundleRequest("1.0.0"), null, Ct);

        Assert.Equal("1.0.0", changed.Value!.Bundle);
        var entry = Assert.Single(await _bed.AuditAsync(AppId, Ct));
        Assert.Equal("channel.bundle", entry.Action);
        Assert.Contains("\"1.1.0\"", entry.Before, StringComparison.Ordinal);
        Assert.Contains("\"1.0.0\"", entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_channel_cannot_be_deleted()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Channels.DeleteChannelAsync(ManagementTestBed.Writer, AppId, "production", null, Ct);

        Assert.Equal(ManagementErrors.Conflict, refused.Error?.Code);
        Assert.NotNull(await _bed.Catalog.GetChannelAsync(AppId, "production", Ct));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
