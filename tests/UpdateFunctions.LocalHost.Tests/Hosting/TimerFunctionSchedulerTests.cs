using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UpdateFunctions.Functions.Devices;
using UpdateFunctions.LocalHost.Hosting;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Hosting;

public sealed class TimerFunctionSchedulerTests
{
    [Fact]
    public void Discovers_the_rollout_timer_with_its_schedule_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ROLLOUT_ADVANCE_SCHEDULE"] = "0 */5 * * * *" })
            .Build();

        var timers = TimerFunctionScheduler.Discover(typeof(UpdatesFunction).Assembly, configuration);

        var rollout = Assert.Single(timers, t => t.Name == "RolloutAdvancerFunction");
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
}
