using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpdateFunctions.Interop.Tests;

/// <summary>A throw-away Capacitor project directory the Capgo CLI runs in (it reads capacitor.config.json there).</summary>
public sealed class CapgoProject : IDisposable
{
    /// <summary>An updater plugin version for which the CLI encrypts the checksum in its current ("V3", hex) form.</summary>
    public const string CurrentUpdaterVersion = "8.51.23";

    public CapgoProject(string? publicKeyPem = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("capgo-interop-").FullName;
        var config = new JsonObject { ["appId"] = "com.example.interop", ["appName"] = "interop", ["webDir"] = "www" };
        if (publicKeyPem is not null)
            config["plugins"] = new JsonObject { ["CapacitorUpdater"] = new JsonObject { ["publicKey"] = publicKeyPem } };
        File.WriteAllText(Path("capacitor.config.json"), config.ToJsonString());
        // Only read through --package-json: it makes the CLI pick the checksum form of a current plugin.
        File.WriteAllText(Path("current-plugin.json"),
            new JsonObject
            {
                ["name"] = "app",
                ["dependencies"] = new JsonObject { ["@capgo/capacitor-updater"] = CurrentUpdaterVersion },
            }.ToJsonString());
    }

    public string Directory { get; }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>Writes a small but real zip (an index.html and a script) and returns its bytes.</summary>
    public byte[] WriteZip(string name)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddEntry(zip, "index.html", "<!doctype html><script src=\"app.js\"></script>");
            AddEntry(zip, "app.js", $"console.log('{Guid.NewGuid()}');" + new string('x', 5000));
        }
        var bytes = buffer.ToArray();
        File.WriteAllBytes(Path(name), bytes);
        return bytes;
    }

    /// <summary>The JSON object a <c>--json</c> command printed (stdout may carry other lines around it).</summary>
    public static JsonElement JsonOutput(CliResult result)
    {
        var text = result.StandardOutput;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        Assert.True(start >= 0 && end > start, $"No JSON in the CLI output:\n{result.Output}");
        return JsonDocument.Parse(text[start..(end + 1)]).RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp directory is harmless
        }
    }

    private static void AddEntry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(content);
    }
}
