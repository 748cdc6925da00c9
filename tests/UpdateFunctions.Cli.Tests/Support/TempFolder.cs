namespace UpdateFunctions.Cli.Tests.Support;

/// <summary>A temporary folder with helpers to write files into it; deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("updatectl-files-").FullName;

    public string Path { get; }

    public TempFolder Write(string relativePath, string content) => Write(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public TempFolder Write(string relativePath, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    /// <summary>A small web build: index.html, assets in a subfolder, and a nested file.</summary>
    public static TempFolder WebBuild(string marker = "v1") => new TempFolder()
        .Write("index.html", $"<!doctype html><title>{marker}</title><script src=\"assets/app.js\"></script>")
        .Write("assets/app.js", $"console.log('{marker}');")
        .Write("assets/css/site.css", "body { margin: 0 }")
        .Write("Zeta.txt", "upper-case Z sorts before lower-case a in ordinal order");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temp folder: harmless.
        }
    }
}
