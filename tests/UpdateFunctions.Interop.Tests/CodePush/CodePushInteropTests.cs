using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Core.Rollouts;
using static UpdateFunctions.Interop.Tests.CodePush.AcquisitionClient;

namespace UpdateFunctions.Interop.Tests.CodePush;

/// <summary>
/// The real <c>code-push@4.2.3</c> <c>AcquisitionManager</c> (what <c>react-native-code-push@9</c> runs) against
/// LocalHost: every answer here is what the SDK made of ours, so a field it cannot read fails the test.
/// </summary>
[Collection(CodePushHostCollection.Name)]
[Trait("Category", "Interop")]
public sealed class CodePushInteropTests(CodePushHost host)
{
    private const string Binary = "1.2.0";

    [Fact]
    public async Task A_device_gets_no_update_while_its_channel_has_no_release()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);

        var outcome = host.Devices.RunOne(Check(Config(key, Binary, "device-1"), Package(Binary)));

        Assert.Null(outcome.Error);
        Assert.Null(outcome.Result);
    }

    [Fact]
    public async Task A_device_on_the_binary_gets_the_release_with_its_CodePush_hash_and_a_URL_that_downloads_the_zip()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var release = await host.ReleaseAsync(app, "1.0.1", "1.2.x");
        var zip = await DownloadedZipAsync(app, "1.0.1");

        var outcome = host.Devices.RunOne(Check(Config(key, Binary, "device-1"), Package(Binary)));

        Assert.Null(outcome.Error);
        Assert.Equal("v1", outcome.Str("label"));
        Assert.Equal(Binary, outcome.Str("appVersion"));
        Assert.Equal(key, outcome.Str("deploymentKey"));
        Assert.Equal("Bundle 1.0.1", outcome.Str("description"));
        Assert.False(outcome.Bool("isMandatory"));
        Assert.Equal(zip.Length, outcome.Result!["packageSize"]!.GetValue<long>());
        Assert.Equal(release["packageHash"]!.GetValue<string>(), outcome.Str("packageHash"));
        Assert.Equal(FolderHash(CodePushHost.BundleFiles("1.0.1")), outcome.Str("packageHash"));
        using var downloader = new HttpClient();
        Assert.Equal(zip, await downloader.GetByteArrayAsync(outcome.Str("downloadUrl")));
    }

    [Fact]
    public async Task A_device_already_on_the_newest_hash_gets_no_update()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var release = await host.ReleaseAsync(app, "1.0.1", "1.x");

        var outcome = host.Devices.RunOne(Check(Config(key, Binary, "device-1"), Package(Binary, "v1", release["packageHash"]!.GetValue<string>())));

        Assert.Null(outcome.Error);
        Assert.Null(outcome.Result);
    }

    [Fact]
    public async Task An_update_is_mandatory_for_a_device_that_skipped_a_mandatory_release()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var v1 = await host.ReleaseAsync(app, "1.0.1", "1.x");
        await host.ReleaseAsync(app, "1.0.2", "1.x", mandatory: true);
        await host.ReleaseAsync(app, "1.0.3", "1.x");

        var outcomes = host.Devices.Run(
            Check(Config(key, Binary, "skipped"), Package(Binary, "v1", v1["packageHash"]!.GetValue<string>())),
            Check(Config(key, Binary, "fresh"), Package(Binary)));

        Assert.All(outcomes, o => Assert.Equal(("v3", true), (o.Str("label"), o.Bool("isMandatory"))));
    }

    [Fact]
    public async Task A_device_whose_binary_is_older_than_every_release_is_told_to_update_the_app()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        await host.ReleaseAsync(app, "2.0.1", "2.x");

        var outcome = host.Devices.RunOne(Check(Config(key, Binary, "device-1"), Package(Binary)));

        Assert.Null(outcome.Error);
        Assert.True(outcome.Bool("updateAppVersion"));
        Assert.Equal("2.x", outcome.Str("appVersion"));
    }

    [Fact]
    public async Task A_disabled_release_is_skipped_and_the_previous_one_offered()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        await host.ReleaseAsync(app, "1.0.1", "1.x");
        await host.ReleaseAsync(app, "1.0.2", "1.x");
        await host.SendAsync(HttpMethod.Patch, $"api/v1/apps/{app}/codepush/releases/production/v2", new JsonObject { ["disabled"] = true }, 200);

        var outcome = host.Devices.RunOne(Check(Config(key, Binary, "device-1"), Package(Binary)));

        Assert.Equal("v1", outcome.Str("label"));
    }

    [Fact]
    public async Task A_rollback_makes_the_previous_release_current_and_disabling_the_rolled_back_one_does_not_undo_it()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        await host.ReleaseAsync(app, "1.0.1", "1.x");
        var v2 = await host.ReleaseAsync(app, "1.0.2", "1.x");
        var onV2 = Package(Binary, "v2", v2["packageHash"]!.GetValue<string>());

        var rolledBack = await host.SendAsync(HttpMethod.Post, $"api/v1/apps/{app}/codepush/channels/production/rollback", null, 200);
        Assert.Equal("v1", rolledBack["label"]!.GetValue<string>());
        var afterRollback = host.Devices.Run(Check(Config(key, Binary, "a"), Package(Binary)), Check(Config(key, Binary, "b"), onV2));

        await host.SendAsync(HttpMethod.Patch, $"api/v1/apps/{app}/codepush/releases/production/v2", new JsonObject { ["disabled"] = true }, 200);
        await host.SendAsync(HttpMethod.Patch, $"api/v1/apps/{app}/codepush/releases/production/v2", new JsonObject { ["disabled"] = false }, 200);
        var afterToggle = host.Devices.Run(Check(Config(key, Binary, "a"), Package(Binary)), Check(Config(key, Binary, "b"), onV2));

        Assert.All(afterRollback.Concat(afterToggle), o => Assert.Equal(("v1", false), (o.Str("label"), o.Bool("isMandatory"))));
    }

    [Fact]
    public async Task Deploy_and_download_reports_count_as_installs_failures_and_downloads_of_the_release_bundle()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var release = await host.ReleaseAsync(app, "1.0.1", "1.x");
        var package = Package(Binary, "v1", release["packageHash"]!.GetValue<string>());

        var outcomes = host.Devices.Run(
            Download(Config(key, Binary, "ok-1"), package),
            Download(Config(key, Binary, "ok-2"), package),
            Download(Config(key, Binary, "bad-1"), package),
            Deploy(Config(key, Binary, "ok-1"), package, "DeploymentSucceeded", Binary),
            Deploy(Config(key, Binary, "ok-2"), package, "DeploymentSucceeded", Binary),
            Deploy(Config(key, Binary, "bad-1"), package, "DeploymentFailed", Binary),
            Deploy(Config(key, Binary, "binary"), null, null));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var counters = await host.CountersAsync(app, "1.0.1");
        Assert.Equal((2L, 1L, 3L), (counters[Core.Telemetry.MetricCounter.Set], counters[Core.Telemetry.MetricCounter.SetFail], counters[Core.Telemetry.MetricCounter.DownloadComplete]));
        Assert.Equal((3L, 1L), (counters.Attempts, counters.Failures));
    }

    [Fact]
    public async Task A_25_percent_rollout_reaches_25_percent_of_2000_devices_within_3_points()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var v1 = await host.ReleaseAsync(app, "1.0.1", "1.x");
        await host.ReleaseAsync(app, "1.0.2", "1.x", rollout: 25);
        var onV1 = Package(Binary, "v1", v1["packageHash"]!.GetValue<string>());

        var outcomes = host.Devices.Run([.. Enumerable.Range(0, 2000).Select(i => Check(Config(key, Binary, $"{Guid.NewGuid()}"), onV1))]);

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var share = outcomes.Count(o => o.Str("label") == "v2") / 2000.0;
        Assert.InRange(share, 0.22, 0.28);
        Assert.All(outcomes.Where(o => o.Result is not null), o => Assert.Equal("v2", o.Str("label")));
    }

    [Fact]
    public async Task A_staged_release_whose_devices_report_failures_is_halted_by_the_timer_and_devices_stay_on_the_previous_release()
    {
        var app = await host.CreateAppAsync();
        var key = await host.DeploymentKeyAsync(app);
        var v1 = await host.ReleaseAsync(app, "1.0.1", "1.x");
        var v2 = await host.ReleaseAsync(app, "1.0.2", "1.x", rollout: 50,
            gates: new JsonObject { ["minStepDuration"] = "1m", ["minSamples"] = 20, ["maxFailureRate"] = 0.05 });
        var onV1 = Package(Binary, "v1", v1["packageHash"]!.GetValue<string>());
        var onV2 = Package(Binary, "v2", v2["packageHash"]!.GetValue<string>());
        var clients = Enumerable.Range(0, 200).Select(i => $"rn-{i:D4}").ToList();

        var checks = host.Devices.Run([.. clients.Select(c => Check(Config(key, Binary, c), onV1))]);
        var cohort = clients.Where((_, i) => checks[i].Str("label") == "v2").ToList();
        Assert.InRange(cohort.Count, 60, 140);
        // Half the cohort's installs crash before notifyAppReady: the SDK reports DeploymentFailed on the next start.
        host.Devices.Run([.. cohort.Select((c, i) => Deploy(Config(key, Binary, c), onV2, i % 2 == 0 ? "DeploymentFailed" : "DeploymentSucceeded", "v1"))]);
        Assert.True((await host.CountersAsync(app, "1.0.2")).Failures >= cohort.Count / 2);

        var outcome = Assert.Single(await host.Services.GetRequiredService<RolloutAdvancerService>().TickAsync(CancellationToken.None),
            o => o.RolloutId == v2["rollout"]!.GetValue<string>());
        Assert.Equal(RolloutDecisionKind.Halt, outcome.Kind);

        var after = host.Devices.Run([.. cohort.Select(c => Check(Config(key, Binary, c), onV2)), .. clients.Select(c => Check(Config(key, Binary, c), onV1))]);
        Assert.All(after.Take(cohort.Count), o => Assert.Equal("v1", o.Str("label")));
        Assert.All(after.Skip(cohort.Count), o => Assert.Null(o.Result));
    }

    [Fact]
    public void An_unknown_deployment_key_is_a_CodePush_error_the_SDK_reports_not_a_server_failure()
    {
        var outcome = host.Devices.RunOne(Check(Config("unknownDeploymentKey0123", Binary, "device-1"), Package(Binary)));

        Assert.NotNull(outcome.Error);
        Assert.StartsWith("404: ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("deployment_key_not_found", outcome.Error, StringComparison.Ordinal);
    }

    private async Task<byte[]> DownloadedZipAsync(string app, string version)
    {
        var bundle = await host.SendAsync(HttpMethod.Get, $"api/v1/apps/{app}/bundles/{version}", null, 200);
        using var downloader = new HttpClient();
        return await downloader.GetByteArrayAsync(bundle["url"]!.GetValue<string>());
    }

    /// <summary>The CodePush CLI's hash of the same files in a folder, computed by Node, not by us.</summary>
    private static string FolderHash(IReadOnlyDictionary<string, string> files)
    {
        var folder = Directory.CreateTempSubdirectory("codepush-hash-");
        try
        {
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(folder.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            var result = InteropPackages.Run("node", [Path.Combine(InteropPackages.Directory, "codepush", "package-hash.js"), folder.FullName],
                InteropPackages.Directory, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.Output);
            return result.StandardOutput.Trim();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
