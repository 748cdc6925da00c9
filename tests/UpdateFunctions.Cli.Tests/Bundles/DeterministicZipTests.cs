using System.IO.Compression;
using System.Security.Cryptography;
using UpdateFunctions.Cli.Bundles;
using UpdateFunctions.Cli.Tests.Support;

namespace UpdateFunctions.Cli.Tests.Bundles;

public sealed class DeterministicZipTests
{
    private static async Task<byte[]> ZipAsync(string folder)
    {
        using var stream = new MemoryStream();
        await DeterministicZip.WriteAsync(folder, stream, CancellationToken.None);
        return stream.ToArray();
    }

    [Fact]
    public async Task The_same_folder_zipped_twice_gives_identical_bytes_and_checksum()
    {
        using var folder = TempFolder.WebBuild();

        var first = await ZipAsync(folder.Path);
        var second = await ZipAsync(folder.Path);
        await using var file1 = await BundleFile.OpenAsync(folder.Path, CancellationToken.None);
        await using var file2 = await BundleFile.OpenAsync(folder.Path, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(file1.Sha256, file2.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), file1.Sha256);
        Assert.Equal(first.Length, file1.Size);
    }

    [Fact]
    public async Task File_times_and_creation_order_do_not_change_the_bytes()
    {
        using var forward = TempFolder.WebBuild();
        using var backward = new TempFolder()
            .Write("Zeta.txt", "upper-case Z sorts before lower-case a in ordinal order")
            .Write("assets/css/site.css", "body { margin: 0 }")
            .Write("assets/app.js", "console.log('v1');")
            .Write("index.html", "<!doctype html><title>v1</title><script src=\"assets/app.js\"></script>");
        foreach (var file in Directory.EnumerateFiles(backward.Path, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));

        Assert.Equal(await ZipAsync(forward.Path), await ZipAsync(backward.Path));
    }

    [Fact]
    public async Task Different_content_gives_a_different_checksum()
    {
        using var v1 = TempFolder.WebBuild("v1");
        using var v2 = TempFolder.WebBuild("v2");

        Assert.NotEqual(SHA256.HashData(await ZipAsync(v1.Path)), SHA256.HashData(await ZipAsync(v2.Path)));
    }

    [Fact]
    public async Task Entries_are_sorted_use_forward_slashes_a_fixed_time_and_fixed_permissions_and_no_directories()
    {
        using var folder = TempFolder.WebBuild();

        using var zip = new ZipArchive(new MemoryStream(await ZipAsync(folder.Path)), ZipArchiveMode.Read);

        Assert.Equal(["Zeta.txt", "assets/app.js", "assets/css/site.css", "index.html"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, entry =>
        {
            // Zip stores a local DOS time; read back it is 1980-01-01 00:00 whatever the time zone.
            Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), entry.LastWriteTime.DateTime);
            Assert.Equal(DeterministicZip.UnixRegularFile0644 << 16, entry.ExternalAttributes);
            Assert.DoesNotContain('\\', entry.FullName);
            Assert.False(entry.FullName.EndsWith('/'));
        });
    }

    [Fact]
    public async Task The_zip_holds_the_files_unchanged()
    {
        using var folder = TempFolder.WebBuild();

        using var zip = new ZipArchive(new MemoryStream(await ZipAsync(folder.Path)), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("assets/app.js")!.Open());

        Assert.Equal("console.log('v1');", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task An_empty_folder_is_a_usage_error()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty-subfolder"));

        var error = await Assert.ThrowsAsync<CliException>(() => BundleFile.OpenAsync(folder.Path, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("no file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_file_is_taken_as_it_is()
    {
        using var folder = new TempFolder().Write("bundle.zip", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        var path = Path.Combine(folder.Path, "bundle.zip");

        await using var file = await BundleFile.OpenAsync(path, CancellationToken.None);

        Assert.False(file.Zipped);
        Assert.Equal(7, file.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), file.Sha256);
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_a_usage_error()
    {
        using var folder = new TempFolder().Write("index.html", "<html>");

        var error = await Assert.ThrowsAsync<CliException>(() => BundleFile.OpenAsync(Path.Combine(folder.Path, "index.html"), CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }
}
