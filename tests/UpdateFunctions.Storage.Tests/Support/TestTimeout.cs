namespace UpdateFunctions.Storage.Tests.Support;

/// <summary>A cancellation token per test so a hung storage call fails the test instead of the run.</summary>
public abstract class TestTimeout : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    protected CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            _timeout.Dispose();
    }
}
