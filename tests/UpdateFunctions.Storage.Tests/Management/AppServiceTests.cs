using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class AppServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private readonly ManagementTestBed _bed = new(azurite);

    private AppService Apps => _bed.Get<AppService>();

    [Fact]
    public async Task Create_makes_the_app_and_its_missing_default_channel_and_audits_both()
    {
        var created = await Apps.CreateAppAsync(ManagementTestBed.Admin, new CreateAppRequest("com.acme.app", "Acme", "production"), Ct);

        Assert.Equal((ManagementStatus.Created, "production"), (created.Status, created.Value!.DefaultChannel));
        Assert.NotNull(await _bed.Catalog.GetChannelAsync("com.acme.app", "production", Ct));
        Assert.Equal(["channel.create", "app.create"], (await _bed.AuditAsync("com.acme.app", Ct)).Select(e => e.Action));
    }

    [Fact]
    public async Task Create_is_refused_to_a_key_limited_to_some_apps()
    {
        var limited = new ManagementCaller("k_limited", ApiRole.Admin, ["com.other.app"]);

        var refused = await Apps.CreateAppAsync(limited, new CreateAppRequest("com.acme.app", "Acme", null), Ct);

        Assert.Equal(ManagementErrors.Forbidden, refused.Error?.Code);
        Assert.Null(await _bed.Catalog.GetAppAsync("com.acme.app", Ct));
    }

    [Fact]
    public async Task Patch_refuses_a_default_channel_the_app_does_not_have()
    {
        await _bed.SeedAsync("com.acme.app", Ct);

        var refused = await Apps.PatchAppAsync(ManagementTestBed.Writer, "com.acme.app", new PatchAppRequest(null, "beta", null), new HashSet<string> { "defaultChannel" }, null, Ct);

        Assert.Equal(ManagementErrors.ChannelNotFound, refused.Error?.Code);
    }

    [Fact]
    public async Task Patch_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        await _bed.SeedAsync("com.acme.app", Ct);
        var read = await Apps.GetAppAsync("com.acme.app", Ct);
        await Apps.PatchAppAsync(ManagementTestBed.Writer, "com.acme.app", new PatchAppRequest("First", null, null), new HashSet<string> { "name" }, read.ETag, Ct);

        var stale = await Apps.PatchAppAsync(ManagementTestBed.Writer, "com.acme.app", new PatchAppRequest("Second", null, null), new HashSet<string> { "name" }, read.ETag, Ct);

        Assert.Equal(ManagementErrors.PreconditionFailed, stale.Error?.Code);
        Assert.Equal("First", (await Apps.GetAppAsync("com.acme.app", Ct)).Value!.Name);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
