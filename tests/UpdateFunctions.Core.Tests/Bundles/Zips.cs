using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace UpdateFunctions.Core.Tests.Bundles;

/// <summary>Bundle zips made on the fly, and the content a web bundle typically has.</summary>
internal static class Zips
{
    public static byte[] Create(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Script-like text: compresses well.</summary>
    public static byte[] Script(string marker, int lines = 200) =>
        Text(string.Concat(Enumerable.Range(0, lines).Select(i => $"export function {marker}{i}(a, b) {{ return a + b * {i}; }}\n")));

    /// <summary>Random bytes: do not compress (an image or a font).</summary>
    public static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
