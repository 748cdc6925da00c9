using Microsoft.Extensions.Logging;

namespace UpdateFunctions.Storage;

/// <summary>
/// The logger factory the Azure SDK's log forwarder writes through. Azure.Core logs every 4xx answer as a warning with
/// its headers (a dozen lines each); 404, 409 and 412 are answers this code asks for and handles (a row or blob not
/// there yet, a table or container that exists, a stale ETag), so those are written at Debug. Every other error
/// answer, and every failed request, stays a warning.
/// </summary>
public sealed class ExpectedAnswersLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>Azure.Core's <c>ErrorResponse</c> event ("Error response [id] 409 …").</summary>
    private const int ErrorResponseEventId = 8;

    private static readonly int[] ExpectedStatuses = [404, 409, 412];

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == "Azure.Core" ? new Logger(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Nothing to dispose: the inner factory belongs to the host.</summary>
    public void Dispose() { }

    /// <summary>Whether an Azure.Core event is the warning of an expected answer.</summary>
    public static bool IsExpectedAnswer(LogLevel level, EventId eventId, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (level != LogLevel.Warning || eventId.Id != ErrorResponseEventId)
            return false;
        var close = message.IndexOf("] ", StringComparison.Ordinal);
        return close > 0 && message.Length >= close + 5
            && int.TryParse(message.AsSpan(close + 2, 3), out var status) && ExpectedStatuses.Contains(status);
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && IsExpectedAnswer(logLevel, eventId, formatter(state, exception)))
                logLevel = LogLevel.Debug;
            if (inner.IsEnabled(logLevel))
                inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
