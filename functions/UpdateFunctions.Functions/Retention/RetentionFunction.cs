using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Retention;

namespace UpdateFunctions.Functions.Retention;

/// <summary>
/// Rolls hourly metrics past their window into daily rows, deletes daily rows and (when configured) audit entries past
/// theirs, on the CRON schedule of the <c>RETENTION_SCHEDULE</c> setting (daily at 03:30 UTC by default).
/// </summary>
public sealed partial class RetentionFunction(RetentionService retention, ILogger<RetentionFunction> logger)
{
    [Function(nameof(RetentionFunction))]
    public async Task Run([TimerTrigger("%RETENTION_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await retention.RunAsync(cancellationToken);
        LogResult(logger, result.Apps, result.DaysRolledUp, result.DailyRowsWritten, result.HourlyRowsDeleted, result.DailyRowsDeleted, result.AuditEntriesDeleted, result.More);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention over {Apps} apps: {Days} days rolled up ({DailyRows} daily rows written, {HourlyRows} hourly rows deleted), {DailyDeleted} daily rows and {AuditDeleted} audit entries deleted; more left for the next run: {More}")]
    private static partial void LogResult(ILogger logger, int apps, int days, int dailyRows, int hourlyRows, int dailyDeleted, int auditDeleted, bool more);
}
