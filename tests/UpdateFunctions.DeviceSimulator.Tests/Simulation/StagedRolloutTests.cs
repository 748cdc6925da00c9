using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

/// <summary>
/// Issue 5's walkthrough in process: a staged rollout on the demo app's beta channel (1.1.0 → 2.0.0), devices from
/// the simulator for which the new bundle is bad, one tick of the rollout timer, and the devices going back.
/// Its own LocalHost (a rollout on beta would surprise the other tests), in the same collection so that the two hosts
/// do not compete for the machine; the timer's schedule is pushed out of the way and ticked by hand.
/// </summary>
[Collection(LocalHostGroup.Name)]
public sealed class StagedRolloutTests
{
    [Fact]
    public async Task A_rollout_whose_target_fails_on_devices_is_halted_by_the_timer_and_the_devices_come_back_to_the_baseline()
    {
        var host = await StartWithRolloutAsync();
        try
        {
            var services = host.Services;
            var catalog = services.GetRequiredService<ICatalogStore>();

            // Beta testers on 1.1.0; half of them are in the 50 % cohort, and 2.0.0 fails to start on half the tries.
            var fleet = host.Fleet(host.Options(devices: 80, seed: 900) with
            {
                Channels = [new("beta", 1)],
                VersionName = "1.1.0",
                Rounds = 2,
                Failures = new FailurePlan(0.5, FailureMode.Update, ["2.0.0"], [], Sticky: false),
            });
            var during = await fleet.RunAsync(null, CancellationToken.None);

            var target = during.Bundles["2.0.0"];
            Assert.InRange(target.Failed, 10, target.Attempts - 10);
            var onTarget = fleet.Devices.Count(d => d.VersionName == "2.0.0");
            Assert.InRange(onTarget, 10, 60);
            Assert.Equal(80 - onTarget, fleet.Devices.Count(d => d.VersionName == "1.1.0"));
            var health = await host.CountersAsync("2.0.0", channel: "beta");
            Assert.Equal((target.Attempts, target.Failed), (health.Attempts, health.Failures));

            var outcome = Assert.Single(await services.GetRequiredService<RolloutAdvancerService>().TickAsync(CancellationToken.None));

            Assert.Equal(RolloutDecisionKind.Halt, outcome.Kind);
            var stored = await catalog.GetRolloutAsync(LocalHostFixture.AppId, "beta-2-0-0", CancellationToken.None);
            Assert.Contains(stored!.Value.State, new[] { RolloutState.Halted, RolloutState.RolledBack });

            var after = await fleet.RunAsync(null, CancellationToken.None);

            Assert.All(fleet.Devices, d => Assert.Equal("1.1.0", d.VersionName));
            Assert.Equal(new BundleTally(onTarget, onTarget, onTarget, 0), after.Bundles["1.1.0"]);
            Assert.False(after.Bundles.ContainsKey("2.0.0"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_rollout_whose_target_installs_well_is_widened_by_the_timer_until_every_device_has_it()
    {
        var host = await StartWithRolloutAsync();
        try
        {
            var services = host.Services;
            var fleet = host.Fleet(host.Options(devices: 80, seed: 901) with { Channels = [new("beta", 1)], VersionName = "1.1.0", Rounds = 2 });
            var during = await fleet.RunAsync(null, CancellationToken.None);
            var onTarget = fleet.Devices.Count(d => d.VersionName == "2.0.0");
            Assert.InRange(onTarget, 20, 60);
            Assert.Equal(0, during.Failed);
            await host.CountersAsync("2.0.0");

            var outcome = Assert.Single(await services.GetRequiredService<RolloutAdvancerService>().TickAsync(CancellationToken.None));

            Assert.Equal((RolloutDecisionKind.Advance, 50, 100), (outcome.Kind, outcome.FromPercent, outcome.ToPercent));
            var after = await fleet.RunAsync(null, CancellationToken.None);
            Assert.All(fleet.Devices, d => Assert.Equal("2.0.0", d.VersionName));
            Assert.Equal(80 - onTarget, after.Bundles["2.0.0"].Installed);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A LocalHost whose beta channel runs a rollout 1.1.0 → 2.0.0 at 50 %, judged after 20 attempts, halting above 5 % failures.</summary>
    private static async Task<LocalHostFixture> StartWithRolloutAsync()
    {
        var host = await LocalHostFixture.StartAsync(("ROLLOUT_ADVANCE_SCHEDULE", "0 0 0 1 1 *"));
        var now = DateTimeOffset.UtcNow;
        var draft = RolloutDefinition.CreateDraft(
            "beta-2-0-0", "beta", "1.1.0", "2.0.0", salt: "walkthrough", now,
            steps: [50, 100], gates: new RolloutGates(TimeSpan.Zero, MinSamples: 20, MaxFailureRate: 0.05));
        var running = RolloutTransitions.Apply(draft, RolloutAction.Start, now, "test").Rollout!;
        await host.PutRolloutAsync(running);
        return host;
    }
}
