using System.IO.Compression;
using System.Text;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Core.Tests.CodePush;

public sealed class CodePushPackageHashTests
{
    // Computed with Node's crypto over the same files, the way the CodePush CLI hashes a folder.
    private const string Expected = "6be2e76ab3cbc44f8d01edd5172938573aaec353e08e5475f6a7a32717b99007";

    private static readonly (string Path, string Content)[] Files =
    [
        ("CodePush/index.android.bundle", "console.log(1)"),
        ("CodePush/assets/a b\"q.png", "x"),
        ("CodePush/é.txt", "u"),
    ];

    private static MemoryStream Zip(IEnumerable<(string Path, string Content)> files, bool withDirectories = false)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (withDirectories)
                archive.CreateEntry("CodePush/");
            foreach (var (path, content) in files)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task ComputeAsync_matches_the_CodePush_CLI_hash_of_the_same_files()
    {
        Assert.Equal(Expected, await CodePushPackageHash.ComputeAsync(Zip(Files), CancellationToken.None));
    }

    [Fact]
    public async Task ComputeAsync_ignores_entry_order_directories_and_macOS_metadata()
    {
        var shuffled = Files.Reverse().Append(("__MACOSX/CodePush/._x", "meta")).Append(("CodePush/.DS_Store", "ds"));

        Assert.Equal(Expected, await CodePushPackageHash.ComputeAsync(Zip(shuffled, withDirectories: true), CancellationToken.None));
    }

    [Fact]
    public async Task ComputeAsync_changes_when_one_byte_of_one_file_changes()
    {
        var changed = Files.Select(f => f.Path.EndsWith("bundle", StringComparison.Ordinal) ? (f.Path, "console.log(2)") : f);

        Assert.NotEqual(Expected, await CodePushPackageHash.ComputeAsync(Zip(changed), CancellationToken.None));
    }
}
