using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Core.Tests.Rollouts;

internal static class RolloutTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero); // a Monday

    public static RolloutDefinition Draft(IReadOnlyList<string>? segments = null, RolloutGates? gates = null,
        IReadOnlyDictionary<string, MaintenanceWindow>? windows = null) =>
        RolloutDefinition.CreateDraft("r1", "production", "1.0.0", "1.1.0", "salt-1", T0, segments, gates: gates, windows: windows);

    public static RolloutDefinition Running(IReadOnlyList<string>? segments = null, RolloutGates? gates = null,
        IReadOnlyDictionary<string, MaintenanceWindow>? windows = null) =>
        RolloutTransitions.Apply(Draft(segments, gates, windows), RolloutAction.Start, T0, "test").Rollout!;

    public static GateHealth Health(string segment, long attempts, long failures, long baselineAttempts = 0, long baselineFailures = 0) =>
        new(segment, new SegmentHealth("production", "1.1.0", segment, attempts, failures, attempts - failures, attempts),
            new SegmentHealth("production", "1.0.0", segment, baselineAttempts, baselineFailures, baselineAttempts - baselineFailures, baselineAttempts));
}
