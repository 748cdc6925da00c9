using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.DeviceSimulator.Simulation;
using UpdateFunctions.DeviceSimulator.Tests.Support;

namespace UpdateFunctions.DeviceSimulator.Tests.Simulation;

/// <summary>
/// Rollout health that cannot be fooled, through the real path: simulated devices → LocalHost's device API → the
/// telemetry pipeline → the metrics → the rollout timer's tick. (a) The service failing 30 % of update checks (429 and
/// 503) neither halts a healthy rollout nor delays it; (b) a candidate that downloads fine and then fails to install or
/// to start is halted on the first tick and the devices go back; (c) a segment of 3 devices waits for samples instead
/// of halting on one failure.
/// </summary>
[Collection(LocalHostGroup.Name)]
public sealed class RolloutHealthFleetTests
{
    private const string RolloutId = "beta-2-0-0";

    [Fact]
    public async Task A_rollout_is_not_halted_by_failed_update_checks_and_advances_on_schedule()
    {
        var failing = new FailingChecks();
        var host = await StartWithRolloutAsync(services => services.AddSingleton<IStartupFilter>(failing));
        try
        {
            var advancer = host.Services.GetRequiredService<RolloutAdvancerService>();
            var fleet = host.Fleet(host.Options(devices: 80, seed: 1400) with { Channels = [new("beta", 1)], VersionName = "1.1.0", Rounds = 4 });

            var first = await fleet.RunAsync(null, CancellationToken.None);
            var target = await host.CountersAsync("2.0.0", channel: "beta");
            var baseline = await host.CountersAsync("1.1.0", channel: "beta");
            var step1 = Assert.Single(await advancer.TickAsync(CancellationToken.None));

            Assert.InRange(failing.Failed, 0.25 * first.Checks, 0.4 * first.Checks);
            Assert.True(first.Bundles["2.0.0"].CheckFailed + first.Bundles["1.1.0"].CheckFailed > 0.2 * first.Checks);
            // Every failed check is a download_fail of the bundle the device runs: counted apart, never as a failure.
            Assert.Equal(first.Bundles["2.0.0"].CheckFailed, target.CheckFailures);
            Assert.Equal(first.Bundles["1.1.0"].CheckFailed, baseline.CheckFailures);
            Assert.True(target.CheckFailures > 0, "devices on the target had failed checks");
            Assert.Equal(target[MetricCounter.DownloadFail], target.CheckFailures);
            Assert.Equal((first.Bundles["2.0.0"].Attempts, 0L, 0L), (target.Attempts, target.Failures, baseline.Failures));
            Assert.Equal((RolloutDecisionKind.Advance, 50, 100), (step1.Kind, step1.FromPercent, step1.ToPercent));

            await fleet.RunAsync(null, CancellationToken.None);
            await host.CountersAsync("2.0.0");
            var step2 = Assert.Single(await advancer.TickAsync(CancellationToken.None));

            Assert.Equal(RolloutDecisionKind.Complete, step2.Kind);
            var stored = await host.Services.GetRequiredService<ICatalogStore>().GetRolloutAsync(LocalHostFixture.AppId, RolloutId, CancellationToken.None);
            var decision = stored!.Value.History[^1];
            Assert.Equal(RolloutState.Completed, stored.Value.State);
            var segment = Assert.Single(decision.Segments);
            Assert.Equal((0L, RolloutReasons.Healthy), (segment.TargetFailures, segment.Outcome));
            Assert.True(segment.TargetCheckFailures > 0, "the decision shows the check failures it ignored");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(FailureMode.Update)]
    [InlineData(FailureMode.Set)]
    public async Task A_candidate_that_downloads_but_fails_to_install_or_start_is_halted_on_the_first_tick_and_rolled_back(FailureMode mode)
    {
        var host = await StartWithRolloutAsync();
        try
        {
            var fleet = host.Fleet(host.Options(devices: 80, seed: 1410) with
            {
                Channels = [new("beta", 1)],
                VersionName = "1.1.0",
                Rounds = 1,
                Download = DownloadMode.Get,
                Failures = new FailurePlan(1, mode, ["2.0.0"], [], Sticky: true),
            });

            var during = await fleet.RunAsync(null, CancellationToken.None);
            var target = await host.CountersAsync("2.0.0", channel: "beta");
            var outcome = Assert.Single(await host.Services.GetRequiredService<RolloutAdvancerService>().TickAsync(CancellationToken.None));

            var tried = during.Bundles["2.0.0"].Attempts;
            Assert.InRange(tried, 20, 60);
            Assert.Equal(tried, during.Bundles["2.0.0"].Failed);
            // The downloads went well: every failure is the bundle's own (set_fail, or set then update_fail).
            Assert.Equal((tried, (long)tried, 0L, 0L), (target.DownloadsCompleted, target.Failures, target.DownloadFailures, target.CheckFailures));
            Assert.Equal(RolloutDecisionKind.Halt, outcome.Kind);
            var stored = await host.Services.GetRequiredService<ICatalogStore>().GetRolloutAsync(LocalHostFixture.AppId, RolloutId, CancellationToken.None);
            Assert.Equal(RolloutState.RolledBack, stored!.Value.State);
            // Rolled back devices count on the bundle they fell back to, not on the one they left.
            Assert.Equal(0, target.UniqueDevices);
            Assert.All(fleet.Devices, d => Assert.Equal("1.1.0", d.VersionName));

            var after = await fleet.RunAsync(null, CancellationToken.None);

            Assert.False(after.Bundles.ContainsKey("2.0.0"));
            Assert.All(fleet.Devices, d => Assert.Equal("1.1.0", d.VersionName));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_segment_of_three_devices_waits_for_samples_instead_of_halting_on_one_failure()
    {
        // Default gates (50 attempts per segment) but no minimum step duration, for the enterprise segment only.
        var host = await StartWithRolloutAsync(segments: ["enterprise"], steps: [100], gates: RolloutGates.Default with { MinStepDuration = TimeSpan.Zero });
        try
        {
            var fleet = host.Fleet(host.Options(devices: 3, seed: 1420) with
            {
                Channels = [new("beta", 1)],
                CustomIds = [new("ent-*", 1)],
                VersionName = "1.1.0",
                Rounds = 1,
                Failures = new FailurePlan(1, FailureMode.Update, ["2.0.0"], [new DeviceFilter(DeviceField.CustomIdPrefix, ["ent-1"])], Sticky: true),
            });

            var run = await fleet.RunAsync(null, CancellationToken.None);
            var health = await host.CountersAsync("2.0.0", segment: "enterprise", channel: "beta");
            var outcome = Assert.Single(await host.Services.GetRequiredService<RolloutAdvancerService>().TickAsync(CancellationToken.None));

            Assert.Equal(new BundleTally(3, 3, 2, 1), run.Bundles["2.0.0"]);
            Assert.Equal((3L, 1L), (health.Attempts, health.Failures));
            Assert.Equal((RolloutDecisionKind.Hold, RolloutReasons.InsufficientSamples), (outcome.Kind, outcome.Reason));
            Assert.Contains("waiting for samples", outcome.Detail, StringComparison.Ordinal);
            Assert.Contains("3 of the 50 attempts", outcome.Detail, StringComparison.Ordinal);
            var stored = await host.Services.GetRequiredService<ICatalogStore>().GetRolloutAsync(LocalHostFixture.AppId, RolloutId, CancellationToken.None);
            Assert.Equal(RolloutState.Running, stored!.Value.State);
            var segment = Assert.Single(stored.Value.History[^1].Segments);
            Assert.Equal(("enterprise", 3L, 1L, 50L, RolloutReasons.InsufficientSamples),
                (segment.Segment, segment.TargetAttempts, segment.TargetFailures, segment.MinSamples, segment.Outcome));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A LocalHost whose beta channel runs a rollout 1.1.0 → 2.0.0 (50 % then 100 %, judged after 20 attempts, halting above 5 % failures by default); its timer is ticked by hand.</summary>
    private static async Task<LocalHostFixture> StartWithRolloutAsync(
        Action<IServiceCollection>? configure = null, IReadOnlyList<string>? segments = null, IReadOnlyList<int>? steps = null, RolloutGates? gates = null)
    {
        var host = await LocalHostFixture.StartAsync(configure, ("ROLLOUT_ADVANCE_SCHEDULE", "0 0 0 1 1 *"));
        var now = DateTimeOffset.UtcNow;
        var draft = RolloutDefinition.CreateDraft(
            RolloutId, "beta", "1.1.0", "2.0.0", salt: "health", now, segments: segments,
            steps: steps ?? [50, 100], gates: gates ?? new RolloutGates(TimeSpan.Zero, MinSamples: 20, MaxFailureRate: 0.05));
        var running = RolloutTransitions.Apply(draft, RolloutAction.Start, now, "test").Rollout!;
        await host.PutRolloutAsync(running);
        return host;
    }
}
