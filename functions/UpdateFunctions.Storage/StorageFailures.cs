using Azure;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Storage;

/// <summary>Tells an unreachable or failing service apart from a request the service refused.</summary>
internal static class StorageFailures
{
    /// <summary>
    /// True for network failures, timeouts, throttling and 5xx: the store cannot answer now, which callers see as
    /// <see cref="StorageUnavailableException"/>. A cancellation the caller asked for is not a failure.
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        // Azure.Core's retry policy reports the failures of all its attempts together.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(inner => IsUnavailable(inner, cancellationToken)),
        _ => false,
    };

    public static StorageUnavailableException Unavailable(string what, Exception exception) =>
        new($"Storage is unavailable ({what}): {FirstMessage(exception)}", exception);

    private static string FirstMessage(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: > 0 } aggregate
            ? aggregate.InnerExceptions[^1].Message
            : exception.Message;
}
