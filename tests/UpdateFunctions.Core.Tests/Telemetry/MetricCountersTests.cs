using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class MetricCountersTests
{
    [Fact]
    public void Attempts_are_installs_set_failures_and_download_failures_and_detail_failures_are_not_counted_again()
    {
        var counters = Count(
            "set", "set", "set", "set",          // 4 installs, one of which rolls back
            "update_fail",
            "set_fail",
            "download_zip_start", "checksum_fail", "download_fail",    // the plugin reports both for one failed download
            "download_manifest_start", "decrypt_fail", "download_fail",
            "download_zip_start", "download_complete", "app_moved_to_foreground");

        Assert.Equal(4, counters.Installs);
        Assert.Equal(4 + 1 + 2, counters.Attempts);
        Assert.Equal(2 + 1 + 1, counters.Failures);
        Assert.Equal(2, counters.FailureDetails);
        Assert.Equal(3, counters.SuccessfulInstalls);
        Assert.Equal(4.0 / 7, counters.FailureRate!.Value, 12);
        Assert.Equal(3.0 / 7, counters.SuccessRate!.Value, 12);
        Assert.Equal(1, counters.FailureRate!.Value + counters.SuccessRate!.Value, 12);
    }

    [Fact]
    public void A_download_fail_without_a_download_started_is_a_failed_check_and_neither_an_attempt_nor_a_failure()
    {
        // A device on the bundle whose update check got a 429 or a 503: download_fail of the bundle it runs, nothing before.
        var checks = Count("download_fail", "download_fail", "download_fail");
        Assert.Equal((0L, 0L, 0L, 3L), (checks.Attempts, checks.Failures, checks.DownloadFailures, checks.CheckFailures));
        Assert.Null(checks.FailureRate);

        // Two downloads started: one completed and was installed, one failed; two more failed checks of devices on it.
        var mixed = Count(
            "download_zip_start", "download_complete", "set",
            "download_manifest_start", "download_fail",
            "download_fail", "download_fail");
        Assert.Equal((2L, 1L, 1L, 2L), (mixed.Attempts, mixed.Failures, mixed.DownloadFailures, mixed.CheckFailures));
    }

    [Fact]
    public void A_device_rolled_back_off_a_bundle_does_not_count_on_it_but_on_the_bundle_it_fell_back_to()
    {
        var failed = new MetricCounters();
        var fallback = new MetricCounters();
        foreach (var device in new[] { "d1", "d2", "d3" })
            failed.Add(MetricCounter.Set, HyperLogLog.Hash(device));
        // d1 and d2 never called notifyAppReady: update_fail, then the plugin sets the bundle before again.
        foreach (var device in new[] { "d1", "d2" })
        {
            failed.Add(MetricCounter.UpdateFail, HyperLogLog.Hash(device));
            fallback.Add(MetricCounter.Set, HyperLogLog.Hash(device));
        }

        Assert.Equal((1L, 3L), (failed.UniqueDevices, failed.ActiveDevices));
        Assert.Equal(2, fallback.UniqueDevices);
        // The sketches survive a merge: a rollback in a later hour still takes the device off.
        var laterHour = new MetricCounters();
        laterHour.Add(MetricCounter.UpdateFail, HyperLogLog.Hash("d3"));
        var total = MetricCounters.Sum([failed, laterHour]);
        Assert.Equal(0, total.UniqueDevices);
    }

    [Fact]
    public void Rates_are_unknown_without_attempts_and_the_failure_rate_never_exceeds_one()
    {
        Assert.Null(Count("app_moved_to_foreground").FailureRate);
        Assert.Null(Count("app_moved_to_foreground").SuccessRate);

        // A rollback whose install was counted in an earlier hour.
        var rollbackOnly = Count("update_fail", "download_zip_start", "download_fail");
        Assert.Equal(1, rollbackOnly.FailureRate);
        Assert.Equal(0, rollbackOnly.SuccessRate);
    }

    [Fact]
    public void Launches_sessions_crashes_downloads_and_others_have_their_counters()
    {
        var counters = Count(
            "app_launch_start", "app_launch_ready", "app_moved_to_foreground", "app_moved_to_foreground",
            "app_moved_to_background", "app_crash", "app_anr", "webview_javascript_error", "download_complete",
            "who_knows");

        Assert.Equal(1, counters.Launches);
        Assert.Equal(2, counters.Sessions);
        Assert.Equal(2, counters.Crashes);
        Assert.Equal(1, counters.DownloadsCompleted);
        Assert.Equal(1, counters.Others);
        Assert.Equal(10, counters.Events);
    }

    [Fact]
    public void Stored_counts_round_trip_and_older_shorter_lists_read_as_zeros()
    {
        var counters = Count("set", "download_fail", "app_crash");

        var read = MetricCounters.FromStored(counters.Counts, HyperLogLog.FromBytes(counters.Devices.ToBytes()));
        var older = MetricCounters.FromStored([5, 1], new HyperLogLog());

        Assert.Equal(counters, read);
        Assert.Equal(5, older.Installs);
        Assert.Equal(1, older[MetricCounter.SetFail]);
        Assert.Equal(0, older.Others);
    }

    private static MetricCounters Count(params string[] actions)
    {
        var counters = new MetricCounters();
        var device = new DeviceInfo("app", "device-1", Platform.Ios, "1.0.0", "1.0.0");
        foreach (var action in actions)
            counters.Add(new StatsEvent(device, action, "1.0.0", null, null, null, TelemetryGen.Start));
        return counters;
    }
}
