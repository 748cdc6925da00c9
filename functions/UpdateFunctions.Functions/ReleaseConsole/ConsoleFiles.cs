using System.Collections.Frozen;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace UpdateFunctions.Functions.ReleaseConsole;

/// <summary>
/// The release console's built files (esbuild writes them under <c>console/</c> of the app's output), read once.
/// Hashed assets are immutable and cached for a year; <c>index.html</c> is revalidated on every load, so a deploy
/// shows at once. Every answer carries a Content-Security-Policy that allows scripts and styles from this origin only
/// and connections to this origin and the blob endpoint (the console uploads bundles straight to blob storage).
/// </summary>
public sealed class ConsoleFiles(IServiceProvider services)
{
    public const string IndexName = "index.html";
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string IndexCache = "no-cache";

    private readonly Lazy<FrozenDictionary<string, ConsoleFile>> _files = new(() => Load(Path.Combine(AppContext.BaseDirectory, "console")));
    private readonly Lazy<string> _policy = new(() => PolicyFor(services.GetService<BlobServiceClient>()?.Uri));

    public string ContentSecurityPolicy => _policy.Value;

    /// <summary>Whether the console was built into this app (a build without Node.js has none).</summary>
    public bool IsBuilt => _files.Value.ContainsKey(IndexName);

    /// <summary>The file a path below <c>/console/</c> names; the empty path is the index. Null when there is none.</summary>
    public ConsoleFile? Find(string? path) =>
        _files.Value.GetValueOrDefault(string.IsNullOrEmpty(path) ? IndexName : path);

    internal static string PolicyFor(Uri? blobEndpoint)
    {
        var connect = blobEndpoint is null ? "'self'" : $"'self' {blobEndpoint.GetLeftPart(UriPartial.Authority)}";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
               $"connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static FrozenDictionary<string, ConsoleFile> Load(string root)
    {
        if (!Directory.Exists(root))
            return FrozenDictionary<string, ConsoleFile>.Empty;
        var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
        foreach (var full in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(root, full).Replace('\\', '/');
            if (name.EndsWith(".br", StringComparison.Ordinal) || name.EndsWith(".gz", StringComparison.Ordinal))
                continue;
            var bytes = File.ReadAllBytes(full);
            files[name] = new ConsoleFile(
                name,
                ContentTypeOf(name),
                name == IndexName ? IndexCache : ImmutableCache,
                $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"",
                bytes,
                ReadIfExists(full + ".br"),
                ReadIfExists(full + ".gz"));
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
