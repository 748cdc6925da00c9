using UpdateFunctions.Cli.Tests.Support;
using UpdateFunctions.Core.Crypto;

namespace UpdateFunctions.Cli.Tests.Commands;

public sealed class EncryptionKeyTests : IDisposable
{
    private readonly CliRun _cli = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("updatectl-keys-").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Create_key_writes_a_Capgo_key_pair_with_a_private_file_only_its_owner_can_read()
    {
        var result = await _cli.RunAsync("encryption", "create-key", "--out", _folder);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var privatePath = Path.Combine(_folder, ".capgo_key_v2");
        using var pair = CapgoKeyPair.FromPrivateKeyPem(File.ReadAllText(privatePath));
        Assert.Equal(pair.PublicKeyPem, File.ReadAllText(Path.Combine(_folder, ".capgo_key_v2.pub")));
        Assert.Contains(pair.KeyId, result.Out, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
    }

    [Fact]
    public async Task Create_key_refuses_to_replace_a_key_pair_without_force()
    {
        await _cli.RunAsync("encryption", "create-key", "--out", _folder);
        var before = File.ReadAllText(Path.Combine(_folder, ".capgo_key_v2"));

        var refused = await _cli.RunAsync("encryption", "create-key", "--out", _folder);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_folder, ".capgo_key_v2")));

        var forced = await _cli.RunAsync("encryption", "create-key", "--out", _folder, "--force");
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(_folder, ".capgo_key_v2")));
    }
}
