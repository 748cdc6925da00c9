using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Benchmarks;

/// <summary>The warm path of the real cache: the snapshot is in memory.</summary>
internal sealed class FixedSnapshotSource(AppSnapshot app) : IAppSnapshotSource
{
    public ValueTask<AppSnapshot?> GetAsync(string appId, CancellationToken cancellationToken) => ValueTask.FromResult<AppSnapshot?>(app);

    public void Invalidate(string appId) { }
}
