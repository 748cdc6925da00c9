using System.Collections.Concurrent;
using System.Reflection;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.LocalHost.Telemetry;

namespace UpdateFunctions.LocalHost.Hosting;

/// <summary>A <c>[TimerTrigger]</c> function as LocalHost runs it.</summary>
internal sealed record TimerFunction(string Name, string Schedule, CronExpression Cron, bool RunOnStartup, MethodInfo Method);

/// <summary>
/// Runs every <c>[Function]</c> with a <c>[TimerTrigger]</c> of the Functions app on its CRON schedule (six fields,
/// seconds first, as in Azure; <c>%NAME%</c> read from configuration), one invocation at a time per function, the
/// function class created through DI as the Functions host does. Time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class TimerFunctionScheduler(
    IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<TimerFunctionScheduler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, long> _invocations = new(StringComparer.Ordinal);

    /// <summary>Completed invocations per function name.</summary>
    public long Invocations(string function) => _invocations.GetValueOrDefault(function);

    public static IReadOnlyList<TimerFunction> Discover(Assembly functionsAssembly, IConfiguration configuration) =>
        [.. functionsAssembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(method => (method, function: method.GetCustomAttribute<FunctionAttribute>(),
                trigger: method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.function is not null && x.trigger is not null)
            .Select(x =>
            {
                var schedule = Resolve(x.trigger!.Schedule, configuration);
                return new TimerFunction(x.function!.Name, schedule, CronExpression.Parse(schedule, CronFormat.IncludeSeconds), x.trigger.RunOnStartup, x.method);
            })];

    /// <summary>A <c>%NAME%</c> schedule is the setting NAME, as in Azure.</summary>
    private static string Resolve(string schedule, IConfiguration configuration)
    {
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            return configuration[name] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"Timer schedule setting {name} is not configured.");
        }
        return schedule;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var functions = Discover(typeof(UpdateFunctions.Functions.Devices.UpdatesFunction).Assembly, configuration);
        foreach (var function in functions)
            LogScheduled(function.Name, function.Schedule);
        return Task.WhenAll(functions.Select(f => RunAsync(f, stoppingToken)));
    }

    private async Task RunAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        var runNow = function.RunOnStartup;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!runNow)
            {
                var now = clock.GetUtcNow();
                var next = function.Cron.GetNextOccurrence(now.UtcDateTime, inclusive: false);
                if (next is null)
                    return;
                try
                {
                    await Task.Delay(next.Value - now.UtcDateTime, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            runNow = false;
            await InvokeAsync(function, stoppingToken);
        }
    }

    private async Task InvokeAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
            var context = new LocalFunctionContext(function.Name, new Dictionary<string, object?>(), scope.ServiceProvider, stoppingToken);
            var arguments = function.Method.GetParameters().Select(p =>
                p.ParameterType == typeof(TimerInfo) ? new TimerInfo()
                : p.ParameterType == typeof(CancellationToken) ? stoppingToken
                : p.ParameterType == typeof(FunctionContext) ? context
                : scope.ServiceProvider.GetRequiredService(p.ParameterType)).ToArray();
            if (function.Method.Invoke(instance, arguments) is Task task)
                await task;
            _invocations.AddOrUpdate(function.Name, 1, static (_, n) => n + 1);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // As in Azure: a failed run is logged and the next occurrence runs as scheduled.
            LogFailed(ex, function.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} scheduled: {Schedule}")]
    private partial void LogScheduled(string function, string schedule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {Function} failed; it runs again at its next occurrence")]
    private partial void LogFailed(Exception exception, string function);
}
