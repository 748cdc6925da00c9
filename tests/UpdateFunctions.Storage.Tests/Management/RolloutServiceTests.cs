using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class RolloutServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string AppId = "com.acme.app";
    private readonly ManagementTestBed _bed = new(azurite);

    private RolloutService Rollouts => _bed.Get<RolloutService>();

    [Fact]
    public async Task A_draft_holds_its_channel_against_a_second_rollout_and_a_bundle_change()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0", "1.1.0", "1.2.0");
        await _bed.Get<ChannelService>().SetChannelBundleAsync(ManagementTestBed.Writer, AppId, "production", new SetChannelBundleRequest("1.0.0"), null, Ct);

        var first = await Rollouts.CreateRolloutAsync(ManagementTestBed.Writer, AppId, new CreateRolloutRequest("production", "1.1.0", Id: "r-first"), Ct);
        var second = await Rollouts.CreateRolloutAsync(ManagementTestBed.Writer, AppId, new CreateRolloutRequest("production", "1.2.0"), Ct);
        var repoint = await _bed.Get<ChannelService>().SetChannelBundleAsync(ManagementTestBed.Writer, AppId, "production", new SetChannelBundleRequest("1.2.0"), null, Ct);

        Assert.Equal(ManagementStatus.Created, first.Status);
        Assert.Equal(ManagementErrors.RolloutActive, second.Error?.Code);
        Assert.Equal(ManagementErrors.RolloutActive, repoint.Error?.Code);
        Assert.Equal("r-first", (await _bed.Catalog.GetChannelAsync(AppId, "production", Ct))!.Value.ActiveRollout);
    }

    [Fact]
    public async Task Start_then_pause_walks_the_state_machine_and_a_rollout_that_ran_cannot_be_deleted()
    {
        await _bed.SeedAsync(AppId, Ct, "1.1.0", "1.0.0");
        await Rollouts.CreateRolloutAsync(ManagementTestBed.Writer, AppId, new CreateRolloutRequest("production", "1.1.0", Id: "r-one"), Ct);

        var started = await Rollouts.ActOnRolloutAsync(ManagementTestBed.Writer, AppId, "r-one", RolloutAction.Start, null, null, Ct);
        var paused = await Rollouts.ActOnRolloutAsync(ManagementTestBed.Writer, AppId, "r-one", RolloutAction.Pause, null, null, Ct);
        var deleted = await Rollouts.DeleteRolloutAsync(ManagementTestBed.Writer, AppId, "r-one", null, Ct);

        Assert.Equal(("running", 1), (started.Value.GetProperty("state").GetString(), started.Value.GetProperty("percent").GetInt32()));
        Assert.Equal("paused", paused.Value.GetProperty("state").GetString());
        Assert.Equal(ManagementErrors.InvalidTransition, deleted.Error?.Code);
    }

    [Fact]
    public async Task Steps_that_do_not_end_at_100_are_400()
    {
        await _bed.SeedAsync(AppId, Ct, "1.1.0", "1.0.0");

        var refused = await Rollouts.CreateRolloutAsync(ManagementTestBed.Writer, AppId, new CreateRolloutRequest("production", "1.1.0", Steps: [1, 50]), Ct);

        Assert.Equal(ManagementErrors.InvalidBody, refused.Error?.Code);
        Assert.Empty(await _bed.Catalog.ListRolloutsAsync(AppId, Ct));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
