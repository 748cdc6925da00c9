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
public sealed partial class RolloutJsonContext : JsonSerializerContext;

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
