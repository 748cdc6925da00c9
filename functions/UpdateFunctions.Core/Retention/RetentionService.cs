using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Retention;

/// <summary>What one retention run did.</summary>
/// <param name="DaysRolledUp">Days whose hourly metrics were rolled up into daily rows (or whose leftover hourly rows were deleted).</param>
/// <param name="More">A bound was reached: there is more for the next run.</param>
public sealed record RetentionResult(int Apps, int DaysRolledUp, int DailyRowsWritten, int HourlyRowsDeleted, int DailyRowsDeleted, int AuditEntriesDeleted, bool More);

/// <summary>
/// Keeps what grows within its window (<see cref="RetentionOptions"/>): per app, hourly metrics older than
/// <see cref="RetentionOptions.HourlyMetricsDays"/> days are rolled up into daily rows (<see cref="IMetricsRetentionStore"/>,
/// at most <see cref="RetentionOptions.MaxDaysPerRun"/> days per app and run), daily rows older than
/// <see cref="RetentionOptions.DailyMetricsMonths"/> months are deleted, and audit entries older than
/// <see cref="RetentionOptions.AuditDays"/> days when that is set. Every step is idempotent: a run that stops part-way,
/// or two runs at once, leave nothing counted twice, and the next run finishes the work.
/// </summary>
public sealed class RetentionService(IMetricsRetentionStore metrics, IAuditLog audit, RetentionOptions settings, TimeProvider clock)
{
    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var hourlyCutoff = today.AddDays(-settings.HourlyMetricsDays);
        var dailyCutoff = today.AddMonths(-settings.DailyMetricsMonths);
        int days = 0, dailyWritten = 0, hourlyDeleted = 0, dailyDeleted = 0, auditDeleted = 0;
        var more = false;

        var apps = await metrics.ListAppsAsync(cancellationToken);
        foreach (var appId in apps)
        {
            var pending = await metrics.ListHourlyDaysAsync(appId, hourlyCutoff, settings.MaxDaysPerRun + 1, cancellationToken);
            more |= pending.Count > settings.MaxDaysPerRun;
            foreach (var day in pending.Take(settings.MaxDaysPerRun))
            {
                try
                {
                    var rollup = await metrics.RollUpDayAsync(appId, day, cancellationToken);
                    days++;
                    dailyWritten += rollup.DailyRows;
                    hourlyDeleted += rollup.HourlyRowsDeleted;
                }
                catch (ConcurrencyConflictException)
                {
                    // Another run is on this day; whatever it leaves, the next run finishes.
                    more = true;
                }
            }

            var budget = settings.MaxDeletesPerRun - dailyDeleted;
            if (budget > 0)
            {
                var deleted = await metrics.DeleteDailyAsync(appId, dailyCutoff, budget, cancellationToken);
                dailyDeleted += deleted;
                more |= deleted == budget;
            }
        }

        if (settings.AuditDays > 0)
        {
            auditDeleted = await audit.DeleteBeforeAsync(now.AddDays(-settings.AuditDays), settings.MaxDeletesPerRun, cancellationToken);
            more |= auditDeleted == settings.MaxDeletesPerRun;
        }
        return new RetentionResult(apps.Count, days, dailyWritten, hourlyDeleted, dailyDeleted, auditDeleted, more);
    }
}
