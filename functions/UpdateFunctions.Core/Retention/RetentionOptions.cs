using System.ComponentModel.DataAnnotations;

namespace UpdateFunctions.Core.Retention;

/// <summary>How long what grows is kept (configuration section <c>Retention</c>, app settings <c>Retention__Key</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Days of hourly metrics rows kept; older days are rolled up into one row per day and key.</summary>
    [Range(1, 3650)]
    public int HourlyMetricsDays { get; set; } = 30;

    /// <summary>Months of daily metrics rows kept; older ones are deleted.</summary>
    [Range(1, 1200)]
    public int DailyMetricsMonths { get; set; } = 13;

    /// <summary>Days of audit entries kept; 0 keeps them for ever (the default: an audit log is evidence).</summary>
    [Range(0, 36500)]
    public int AuditDays { get; set; }

    /// <summary>Most days of one app rolled up by one run: a run's work is bounded; the next run goes on.</summary>
    [Range(1, 10000)]
    public int MaxDaysPerRun { get; set; } = 62;

    /// <summary>Most rows one run deletes from each of the daily metrics and the audit log.</summary>
    [Range(1, 1_000_000)]
    public int MaxDeletesPerRun { get; set; } = 20_000;
}
