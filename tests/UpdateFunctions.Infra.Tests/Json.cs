using System.Text.Json;

namespace UpdateFunctions.Infra.Tests;

internal static class Json
{
    /// <summary>The value at a path of property names, or an <see cref="JsonValueKind.Undefined"/> element when absent.</summary>
    public static JsonElement At(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return default;
        }

        return current;
    }

    /// <summary>The string at a path; fails the test when it is absent or not a string.</summary>
    public static string String(this JsonElement element, params string[] path)
    {
        var value = element.At(path);
        Assert.True(value.ValueKind == JsonValueKind.String, $"Expected a string at {string.Join('.', path)}, found {value.ValueKind}: {element}");
        return value.GetString()!;
    }

    /// <summary>The boolean at a path; fails the test when it is absent or not a literal boolean (an unevaluated expression, say).</summary>
    public static bool Bool(this JsonElement element, params string[] path)
    {
        var value = element.At(path);
        Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"Expected a boolean at {string.Join('.', path)}, found {value.ValueKind}: {element}");
        return value.GetBoolean();
    }

    /// <summary>The integer at a path; fails the test when it is absent or not a number.</summary>
    public static int Int(this JsonElement element, params string[] path)
    {
        var value = element.At(path);
        Assert.True(value.ValueKind == JsonValueKind.Number, $"Expected a number at {string.Join('.', path)}, found {value.ValueKind}: {element}");
        return value.GetInt32();
    }

    /// <summary>The items of the array at a path; fails the test when it is absent or not an array.</summary>
    public static IReadOnlyList<JsonElement> Array(this JsonElement element, params string[] path)
    {
        var value = element.At(path);
        Assert.True(value.ValueKind == JsonValueKind.Array, $"Expected an array at {string.Join('.', path)}, found {value.ValueKind}: {element}");
        return [.. value.EnumerateArray()];
    }

    /// <summary>The names of the properties of the object at a path; fails the test when it is not an object.</summary>
    public static IReadOnlyList<string> Names(this JsonElement element, params string[] path)
    {
        var value = element.At(path);
        Assert.True(value.ValueKind == JsonValueKind.Object, $"Expected an object at {string.Join('.', path)}, found {value.ValueKind}: {element}");
        return [.. value.EnumerateObject().Select(property => property.Name)];
    }
}
