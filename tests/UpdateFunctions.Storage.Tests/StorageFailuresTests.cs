using Azure;

namespace UpdateFunctions.Storage.Tests;

/// <summary>Which failures mean "storage cannot answer now" (Azurite never answers 5xx, so these are checked directly).</summary>
public sealed class StorageFailuresTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Network_failures_timeouts_throttling_and_5xx_are_unavailability(int status)
    {
        Assert.True(StorageFailures.IsUnavailable(new RequestFailedException(status, "failed"), CancellationToken.None));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void Refusals_are_not_unavailability(int status)
    {
        Assert.False(StorageFailures.IsUnavailable(new RequestFailedException(status, "refused"), CancellationToken.None));
    }

    [Fact]
    public void Transport_errors_and_exhausted_retries_are_unavailability()
    {
        Assert.True(StorageFailures.IsUnavailable(new HttpRequestException("refused"), CancellationToken.None));
        Assert.True(StorageFailures.IsUnavailable(new TimeoutException(), CancellationToken.None));
        Assert.True(StorageFailures.IsUnavailable(
            new AggregateException(new RequestFailedException(0, "a"), new RequestFailedException(503, "b")), CancellationToken.None));
        Assert.False(StorageFailures.IsUnavailable(
            new AggregateException(new RequestFailedException(503, "a"), new RequestFailedException(403, "b")), CancellationToken.None));
        Assert.False(StorageFailures.IsUnavailable(new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public void A_timeout_is_unavailability_but_the_callers_own_cancellation_is_not()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(StorageFailures.IsUnavailable(new TaskCanceledException(), CancellationToken.None));
        Assert.False(StorageFailures.IsUnavailable(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }
}
