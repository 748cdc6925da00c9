using System.IO.Compression;
using UpdateFunctions.Core.Bundles;
using static UpdateFunctions.Core.Tests.Bundles.Zips;

namespace UpdateFunctions.Core.Tests.Bundles;

public sealed class BundleManifestBuilderTests
{
    private const string AppId = "com.demo.app";
    private readonly InMemoryBundleFiles _files = new();
    private readonly BundleManifestBuilder _builder;

    public BundleManifestBuilderTests() => _builder = new BundleManifestBuilder(_files);

    private static CancellationToken Ct => CancellationToken.None;

    private async Task<ManifestBuilt> BuildAsync(byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        return Assert.IsType<ManifestBuilt>(await _builder.BuildAsync(AppId, Sha256(zip), stream, Ct));
    }

    private async Task<ManifestRefused> RefuseAsync(byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        return Assert.IsType<ManifestRefused>(await _builder.BuildAsync(AppId, Sha256(zip), stream, Ct));
    }

    /// <summary>What a device ends up with for one manifest file: the stored bytes, decompressed when the name says .br.</summary>
    private byte[] Assemble(ManifestFile file)
    {
        var stored = _files.File(AppId, file);
        if (!file.FileName.EndsWith(".br", StringComparison.Ordinal))
            return stored;
        using var input = new BrotliStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public async Task The_manifest_lists_every_file_of_the_zip_by_its_path_with_the_sha256_of_its_bytes()
    {
        var index = Text("<!doctype html><script src=js/app.js></script>");
        var app = Script("app");
        var logo = Noise(3000, seed: 1);
        var zip = Create(("index.html", index), ("js/app.js", app), ("assets/img/logo.png", logo));

        var built = await BuildAsync(zip);

        Assert.Equal(["index.html", "js/app.js", "assets/img/logo.png"], built.Manifest.Files.Select(f => f.Path));
        Assert.Equal([Sha256(index), Sha256(app), Sha256(logo)], built.Manifest.Files.Select(f => f.Sha256));
        Assert.Equal([(long)index.Length, app.Length, logo.Length], built.Manifest.Files.Select(f => f.Size));
        Assert.Equal(new BundleManifestInfo(BundleLayout.ManifestBlobPath(AppId, Sha256(zip)), 3, index.Length + app.Length + logo.Length,
            built.Manifest.StoredSize), built.Info);
        foreach (var file in built.Manifest.Files)
            Assert.Equal(file.Sha256, Sha256(Assemble(file)));
    }

    [Fact]
    public async Task Folder_entries_are_not_files()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("dist/");
            archive.CreateEntry("dist/js/");
            using var writer = new StreamWriter(archive.CreateEntry("dist/index.html").Open());
            writer.Write("<!doctype html>");
        }

        var built = await BuildAsync(buffer.ToArray());

        Assert.Equal("dist/index.html", Assert.Single(built.Manifest.Files).Path);
    }

    [Fact]
    public async Task Files_shared_by_two_versions_are_stored_once()
    {
        var vendor = Script("vendor", lines: 400);
        var logo = Noise(5000, seed: 2);
        var first = Create(("index.html", Text("v1")), ("js/vendor.js", vendor), ("logo.png", logo), ("js/app.js", Script("one")));
        var second = Create(("index.html", Text("v2")), ("js/vendor.js", vendor), ("logo.png", logo), ("js/app.js", Script("two")));

        var v1 = await BuildAsync(first);
        var writesAfterFirst = _files.FileWrites;
        var v2 = await BuildAsync(second);

        Assert.Equal(4, writesAfterFirst);
        Assert.Equal(6, _files.FileWrites);
        Assert.Equal(v1.Manifest.Files[1], v2.Manifest.Files[1]);
        Assert.Equal(v1.Manifest.Files[2], v2.Manifest.Files[2]);
        Assert.Equal(6, _files.Blobs.Keys.Count(k => k.StartsWith(BundleLayout.FilesPrefix(AppId), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_same_content_under_two_paths_of_one_zip_is_stored_once()
    {
        var script = Script("same");

        var built = await BuildAsync(Create(("a.js", script), ("copy/a.js", script)));

        Assert.Equal(1, _files.FileWrites);
        Assert.Equal(built.Manifest.Files[0].BlobName, built.Manifest.Files[1].BlobName);
    }

    [Fact]
    public async Task Compressible_files_are_stored_as_brotli_under_a_br_name_that_decompresses_to_the_file()
    {
        var script = Script("app");

        var file = Assert.Single((await BuildAsync(Create(("js/app.js", script)))).Manifest.Files);

        Assert.True(file.Brotli);
        Assert.Equal("js/app.js.br", file.FileName);
        Assert.Equal(file.Sha256 + ".br", file.BlobName);
        Assert.True(file.StoredSize < script.Length / 2, $"{file.StoredSize} of {script.Length}");
        Assert.Equal(script, Assemble(file));
    }

    [Fact]
    public async Task Incompressible_and_tiny_files_are_stored_as_they_are()
    {
        var built = await BuildAsync(Create(("font.woff2", Noise(4000, seed: 3)), ("robots.txt", Text("User-agent: *"))));

        Assert.All(built.Manifest.Files, f => Assert.False(f.Brotli));
        Assert.Equal(["font.woff2", "robots.txt"], built.Manifest.Files.Select(f => f.FileName));
        Assert.Equal(built.Manifest.Files.Select(f => f.Size), built.Manifest.Files.Select(f => f.StoredSize));
    }

    [Fact]
    public async Task A_file_whose_name_ends_in_br_is_listed_as_br_br_so_the_device_writes_it_under_its_own_name()
    {
        // Precompressed by the app's build: the plugin strips one .br and decompresses, so it must get a second one.
        var precompressed = Noise(40, seed: 4);

        var file = Assert.Single((await BuildAsync(Create(("js/app.js.br", precompressed)))).Manifest.Files);

        Assert.Equal("js/app.js.br.br", file.FileName);
        Assert.Equal(precompressed, Assemble(file));
    }

    [Fact]
    public async Task Empty_files_are_listed_too()
    {
        var file = Assert.Single((await BuildAsync(Create((".nojekyll", [])))).Manifest.Files);

        Assert.Equal(Sha256([]), file.Sha256);
        Assert.Empty(Assemble(file));
    }

    [Theory]
    [InlineData("../outside.js")]
    [InlineData("/etc/passwd")]
    [InlineData("js\\app.js")]
    [InlineData("js//app.js")]
    [InlineData("./index.html")]
    [InlineData("js/../../app.js")]
    [InlineData("js/app\u0000.js")]
    public async Task A_path_a_device_cannot_write_refuses_the_manifest(string path)
    {
        var refused = await RefuseAsync(Create(("index.html", Text("ok")), (path, Text("x"))));

        Assert.Equal(ManifestUnavailableReasons.UnsafePath, refused.Reason);
        Assert.Equal(0, _files.FileWrites);
    }

    [Fact]
    public async Task A_path_present_twice_refuses_the_manifest()
    {
        var refused = await RefuseAsync(Create(("index.html", Text("one")), ("index.html", Text("two"))));

        Assert.Equal(ManifestUnavailableReasons.DuplicatePath, refused.Reason);
        Assert.Contains("index.html", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_zip_refuse_the_manifest()
    {
        // What an encrypted upload looks like to the server.
        var refused = await RefuseAsync(Noise(1000, seed: 5));

        Assert.Equal(ManifestUnavailableReasons.NotAZip, refused.Reason);
    }

    [Fact]
    public async Task A_zip_without_files_refuses_the_manifest()
    {
        Assert.Equal(ManifestUnavailableReasons.EmptyBundle, (await RefuseAsync(Create())).Reason);
    }

    [Fact]
    public async Task Building_the_same_zip_again_reads_its_manifest_back_and_stores_nothing()
    {
        var zip = Create(("index.html", Text("<p>hi</p>")), ("app.js", Script("x")));
        var first = await BuildAsync(zip);
        var writes = _files.FileWrites;

        var again = await BuildAsync(zip);

        Assert.Equal(writes, _files.FileWrites);
        Assert.Equal(first.Info, again.Info);
        Assert.Equal(first.Manifest.Files, again.Manifest.Files);
    }

    [Fact]
    public async Task A_stored_zip_is_read_through_the_store()
    {
        var zip = Create(("index.html", Text("stored")));
        _files.Zips["com.demo.app/z.zip"] = new MemoryStream(zip);

        var (manifest, unavailable) = await _builder.BuildStoredAsync(AppId,
            new Persistence.StoredBundleBlob("com.demo.app/z.zip", Sha256(zip), zip.Length), Ct);

        Assert.Null(unavailable);
        Assert.Equal(1, manifest?.Files);
    }

    [Fact]
    public void The_stored_manifest_reads_back_as_written()
    {
        var manifest = new BundleManifest([new ManifestFile("a/b.js", new string('c', 64), 10, true, 7), new ManifestFile("i.html", new string('d', 64), 3, false, 3)]);

        var read = BundleManifestJson.Read(BundleManifestJson.Write(manifest));

        Assert.NotNull(read);
        Assert.Equal(manifest.Files, read.Files);
        Assert.Null(BundleManifestJson.Read("{\"files\":[]}"u8));
        Assert.Null(BundleManifestJson.Read("not json"u8));
    }

    [Theory]
    [InlineData(new byte[] { 0x1B, 0x00, 0x06 }, new byte[] { 1 }, true)]
    [InlineData(new byte[] { 0x1B, 0x00, 0x06 }, new byte[0], false)]
    [InlineData(new byte[] { 0x0B, 0x02, 0x80, 0x41, 0x42, 0x03 }, new byte[] { 0x41, 0x42 }, false)]
    [InlineData(new byte[] { 0x0B, 0x02, 0x80, 0x41, 0x42, 0x03 }, new byte[] { 0x41 }, true)]
    [InlineData(new byte[] { 0x1B, 0x00, 0x06, 0x09, 0x03 }, new byte[] { 0x41 }, true)]
    [InlineData(new byte[] { 0x8B, 0x02, 0x80, 0x41, 0x03 }, new byte[] { 0x41 }, false)]
    public void Brotli_streams_the_plugin_would_take_for_its_shortcuts_are_recognised(byte[] compressed, byte[] content, bool misread)
    {
        Assert.Equal(misread, BundleManifestBuilder.PluginMisreads(compressed, content));
    }
}
