using System.Security.Cryptography;

namespace UpdateFunctions.Cli.Bundles;

/// <summary>
/// The zip to upload, open for reading, with its SHA-256 (lowercase hex) and size. From a folder it is zipped
/// deterministically into a temporary file deleted on dispose; a <c>.zip</c> file is used as it is.
/// </summary>
public sealed class BundleFile : IAsyncDisposable
{
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];

    private BundleFile(FileStream stream, string sha256, bool zipped)
    {
        Stream = stream;
        Sha256 = sha256;
        Zipped = zipped;
    }

    public FileStream Stream { get; }

    public string Sha256 { get; }

    public long Size => Stream.Length;

    /// <summary>Whether the CLI zipped a folder (as opposed to taking a zip given).</summary>
    public bool Zipped { get; }

    public static async Task<BundleFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        bool zipped;
        if (Directory.Exists(path))
        {
            var temp = Path.Combine(Path.GetTempPath(), $"updatectl-{Guid.NewGuid():N}.zip");
            stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await DeterministicZip.WriteAsync(path, stream, cancellationToken);
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }
            zipped = true;
        }
        else if (File.Exists(path))
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            var magic = new byte[4];
            var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < magic.Length || !magic.AsSpan().SequenceEqual(ZipMagic))
            {
                await stream.DisposeAsync();
                throw CliException.Usage($"{path} is neither a folder nor a zip file.");
            }
            zipped = false;
        }
        else
        {
            throw CliException.Usage($"{path} does not exist (give the web build folder, e.g. ./dist, or a .zip).");
        }

        stream.Position = 0;
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        stream.Position = 0;
        return new BundleFile(stream, Convert.ToHexStringLower(hash), zipped);
    }

    /// <summary>An encrypted bundle written to <paramref name="stream"/> (positioned at its start), with its SHA-256.</summary>
    public static BundleFile FromEncrypted(FileStream stream, string sha256) => new(stream, sha256, zipped: false);

    /// <summary>A temporary file deleted when closed, for a bundle the CLI produces.</summary>
    public static FileStream CreateTemporary() => new(
        Path.Combine(Path.GetTempPath(), $"updatectl-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
