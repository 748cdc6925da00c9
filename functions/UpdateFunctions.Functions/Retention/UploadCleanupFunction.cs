using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Retention;

/// <summary>
/// Deletes uploads announced and never committed once their window has passed (staged blob and row), on the CRON
/// schedule of the <c>UPLOAD_CLEANUP_SCHEDULE</c> setting (every 10 minutes by default).
/// </summary>
public sealed partial class UploadCleanupFunction(UploadCleanupService cleanup, ILogger<UploadCleanupFunction> logger)
{
    [Function(nameof(UploadCleanupFunction))]
    public async Task Run([TimerTrigger("%UPLOAD_CLEANUP_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await cleanup.RunAsync(cancellationToken);
        LogResult(logger, result.Removed, result.Expired, result.More);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired uploads removed: {Removed} of {Expired} found; more left for the next run: {More}")]
    private static partial void LogResult(ILogger logger, int removed, int expired, bool more);
}
