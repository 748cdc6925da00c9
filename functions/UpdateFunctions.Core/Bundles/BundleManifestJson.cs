using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpdateFunctions.Core.Bundles;

/// <summary>The stored form of a manifest blob: <c>{"files":[{"path","sha256","size","brotli","storedSize"}]}</c>.</summary>
public static class BundleManifestJson
{
    public static byte[] Write(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.SerializeToUtf8Bytes(new StoredManifest(manifest.Files), StoredManifestContext.Default.StoredManifest);
    }

    /// <summary>The manifest in <paramref name="json"/>, or null when it is not one (a damaged blob is not served).</summary>
    public static BundleManifest? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StoredManifestContext.Default.StoredManifest) is { Files: { Count: > 0 } files }
                && files.All(f => f is { Path.Length: > 0, Sha256.Length: 64 })
                ? new BundleManifest(files)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record StoredManifest(IReadOnlyList<ManifestFile> Files);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredManifest))]
internal sealed partial class StoredManifestContext : JsonSerializerContext;
