using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Functions.Devices;
using UpdateFunctions.LocalHost.Hosting;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Hosting;

public sealed class TimerFunctionSchedulerTests
{
    [Fact]
    public void Discovers_the_timers_with_their_schedules_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ROLLOUT_ADVANCE_SCHEDULE"] = "0 */5 * * * *",
                ["RETENTION_SCHEDULE"] = "0 30 3 * * *",
                ["UPLOAD_CLEANUP_SCHEDULE"] = "0 */10 * * * *",
            })
            .Build();

        var timers = TimerFunctionScheduler.Discover(typeof(UpdatesFunction).Assembly, configuration);

        var rollout = Assert.Single(timers, t => t.Name == "RolloutAdvancerFunction");
        Assert.Equal("0 30 3 * * *", Assert.Single(timers, t => t.Name == "RetentionFunction").Schedule);
        Assert.Equal("0 */10 * * * *", Assert.Single(timers, t => t.Name == "UploadCleanupFunction").Schedule);
        Assert.Equal("0 */5 * * * *", rollout.Schedule);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 5, 0, DateTimeKind.Utc),
            rollout.Cron.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task LocalHost_runs_timer_functions_on_their_schedule()
    {
        await using var host = await TestLocalHost.StartAsync(("ROLLOUT_ADVANCE_SCHEDULE", "* * * * * *"));
        var scheduler = host.Services.GetRequiredService<TimerFunctionScheduler>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (scheduler.Invocations("RolloutAdvancerFunction") < 2)
            await Task.Delay(100, timeout.Token);

        Assert.True(scheduler.Invocations("RolloutAdvancerFunction") >= 2);
    }

    [Fact]
    public async Task LocalHost_runs_the_retention_and_upload_cleanup_timers_to_completion()
    {
        await using var host = await TestLocalHost.StartAsync(("RETENTION_SCHEDULE", "* * * * * *"), ("UPLOAD_CLEANUP_SCHEDULE", "* * * * * *"));
        var scheduler = host.Services.GetRequiredService<TimerFunctionScheduler>();

        // Invocations count only runs that completed: a failing run (a missing service, storage) is logged, not counted.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (scheduler.Invocations("RetentionFunction") < 1 || scheduler.Invocations("UploadCleanupFunction") < 1)
            await Task.Delay(100, timeout.Token);

        Assert.True(scheduler.Invocations("RetentionFunction") >= 1);
        Assert.True(scheduler.Invocations("UploadCleanupFunction") >= 1);
    }
}
