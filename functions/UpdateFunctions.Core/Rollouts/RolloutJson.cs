using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Rollouts;

/// <summary>The JSON form of a rollout: the <c>rollouts</c> table column and the management API body are the same.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RolloutDefinition))]
[JsonSerializable(typeof(List<RolloutDefinition>))]
[JsonSerializable(typeof(RolloutStatusView))]
public sealed partial class RolloutJsonContext : JsonSerializerContext;

/// <summary>The live part of a rollout's status (<c>GET …/rollouts/{id}</c>, member <c>status</c>).</summary>
/// <param name="Health">Each gated segment's numbers since the step started, on the target and the baseline.</param>
/// <param name="Preview">What the timer would decide now (running or paused rollouts).</param>
/// <param name="EarliestNextStep">When the current step will have held its minimum duration (running rollouts).</param>
public sealed record RolloutStatusView(
    IReadOnlyList<SegmentVerdict> Health, RolloutVerdict? Preview, DateTimeOffset? EarliestNextStep, DateTimeOffset At);

public static class RolloutJson
{
    public static string Write(RolloutDefinition rollout) =>
        JsonSerializer.Serialize(rollout, RolloutJsonContext.Default.RolloutDefinition);

    public static bool TryParse(string json, [NotNullWhen(true)] out RolloutDefinition? rollout)
    {
        try
        {
            rollout = JsonSerializer.Deserialize(json, RolloutJsonContext.Default.RolloutDefinition);
            return rollout is not null;
        }
        catch (JsonException)
        {
            rollout = null;
            return false;
        }
    }
}
