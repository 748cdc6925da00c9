using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class AuditServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private readonly ManagementTestBed _bed = new(azurite);

    private AuditService Audit => _bed.Get<AuditService>();

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task A_top_outside_1_to_1000_is_400(string top)
    {
        var refused = await Audit.ListAuditAsync(ManagementTestBed.Admin, null, top, Ct);

        Assert.Equal(ManagementErrors.InvalidBody, refused.Error?.Code);
    }

    [Fact]
    public async Task Entries_come_newest_first_and_top_bounds_them()
    {
        var apps = _bed.Get<AppService>();
        await apps.CreateAppAsync(ManagementTestBed.Admin, new CreateAppRequest("com.acme.one", "One", null), Ct);
        _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        await apps.CreateAppAsync(ManagementTestBed.Admin, new CreateAppRequest("com.acme.two", "Two", null), Ct);

        var all = await Audit.ListAuditAsync(ManagementTestBed.Admin, null, null, Ct);
        var one = await Audit.ListAuditAsync(ManagementTestBed.Admin, null, "1", Ct);

        Assert.Equal(["com.acme.two", "com.acme.one"], all.Value!.Select(e => e.App));
        Assert.Equal(["com.acme.two"], one.Value!.Select(e => e.App));
    }

    [Fact]
    public async Task A_key_limited_to_some_apps_must_name_one_of_them()
    {
        var limited = new ManagementCaller("k_limited", ApiRole.Read, ["com.acme.one"]);

        var refused = await Audit.ListAuditAsync(limited, null, null, Ct);

        Assert.Equal(ManagementErrors.Forbidden, refused.Error?.Code);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
