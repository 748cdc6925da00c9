namespace UpdateFunctions.Core.Retention;

/// <summary>What rolling up one day did.</summary>
/// <param name="DailyRows">Daily rows written (0 when an earlier run had already written them).</param>
/// <param name="HourlyRowsDeleted">Hourly rows of the day deleted.</param>
/// <param name="AlreadyRolledUp">An earlier run had written the day's daily rows and marked the day; this one only deleted what was left.</param>
public sealed record DayRollup(int DailyRows, int HourlyRowsDeleted, bool AlreadyRolledUp);

/// <summary>
/// The metrics store's side of retention: hourly rows rolled up into daily rows (one per key and day, every hour
/// and Event Hubs partition summed, device sketches unioned), and daily rows deleted when too old.
/// </summary>
/// <remarks>
/// Rolling up a day is three steps in this order: write the daily rows (a replace, computed from every hourly row of
/// the day), mark the day rolled up, delete the hourly rows. A run that stops anywhere leaves a state the next run
/// finishes without counting twice: before the mark, the hourly rows are all there and the daily rows are computed
/// again and replaced; after it, the daily rows are final and only the deletion goes on. Readers ignore the hourly
/// rows of a marked day, so a query never sees a day twice.
/// </remarks>
public interface IMetricsRetentionStore
{
    /// <summary>Days before <paramref name="before"/> that still have hourly rows of the app, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DateOnly>> ListHourlyDaysAsync(string appId, DateOnly before, int max, CancellationToken cancellationToken);

    /// <summary>Rolls one day of the app up (see the remarks); safe to run again at any point.</summary>
    Task<DayRollup> RollUpDayAsync(string appId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Deletes daily rows (and day marks) of the app before <paramref name="before"/>, at most <paramref name="max"/>; returns how many.</summary>
    Task<int> DeleteDailyAsync(string appId, DateOnly before, int max, CancellationToken cancellationToken);

    /// <summary>The apps that have metrics rows, hourly or daily (an app deleted from the catalog still has its metrics).</summary>
    Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken cancellationToken);
}
