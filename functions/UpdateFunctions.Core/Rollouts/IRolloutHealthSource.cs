namespace UpdateFunctions.Core.Rollouts;

/// <summary>The health numbers rollout gates decide on.</summary>
public interface IRolloutHealthSource
{
    Task<SegmentHealth> GetHealthAsync(string appId, string channel, string bundleVersion, string segment, DateTimeOffset since, CancellationToken cancellationToken);
}
