using System.Text.Json;

namespace UpdateFunctions.Infra.Tests;

/// <summary>
/// A deployment snapshot (<c>bicep snapshot</c>): the resources main.bicep would deploy with given parameters, with
/// every value known before deployment evaluated. Values that exist only at deployment time (a managed identity's
/// principal ID, a host name Azure assigns) stay ARM expressions, strings that start with '['.
/// </summary>
public sealed class Snapshot(JsonElement root)
{
    public IReadOnlyList<JsonElement> Resources { get; } = root.Array("predictedResources");

    public JsonElement Outputs { get; } = root.At("outputs");

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.String("type"), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of a type whose name ends with <paramref name="nameSuffix"/> (child names are "parent/child").</summary>
    public JsonElement One(string type, string nameSuffix = "") =>
        Assert.Single(OfType(type), resource => resource.String("name").EndsWith(nameSuffix, StringComparison.Ordinal));
}
