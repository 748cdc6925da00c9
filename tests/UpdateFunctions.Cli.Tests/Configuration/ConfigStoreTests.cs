using System.Runtime.Versioning;
using UpdateFunctions.Cli.Configuration;

namespace UpdateFunctions.Cli.Tests.Configuration;

public sealed class ConfigStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("updatectl-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public async Task Written_config_reads_back_the_same()
    {
        var store = new ConfigStore(Path.Combine(_root, "updatectl", "config.json"));

        await store.WriteAsync(new CliConfig("http://127.0.0.1:7071", "uf_secret"), CancellationToken.None);

        Assert.Equal(new CliConfig("http://127.0.0.1:7071", "uf_secret"), await store.ReadAsync(CancellationToken.None));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_config_file_is_readable_by_its_owner_only()
    {
        var store = new ConfigStore(Path.Combine(_root, "updatectl", "config.json"));

        await store.WriteAsync(new CliConfig("http://x", "k"), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }

    [Fact]
    public async Task A_missing_file_reads_as_empty_and_delete_reports_it()
    {
        var store = new ConfigStore(Path.Combine(_root, "none", "config.json"));

        Assert.Equal(new CliConfig(null, null), await store.ReadAsync(CancellationToken.None));
        Assert.False(store.Delete());
    }

    [Fact]
    public void The_file_lives_under_XDG_CONFIG_HOME_when_set_else_under_HOME_dot_config()
    {
        Assert.Equal(Path.Combine("/xdg", "updatectl", "config.json"), ConfigStore.ForUser(Variables(("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u"))).Path);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(Path.Combine("/home/u", ".config", "updatectl", "config.json"), ConfigStore.ForUser(Variables(("HOME", "/home/u"))).Path);
    }

    [Fact]
    public void Options_win_over_environment_variables_which_win_over_the_file()
    {
        var stored = new CliConfig("http://file", "file-key");
        var env = Variables((ConfigStore.ServerVariable, "http://env"), (ConfigStore.KeyVariable, "env-key"));

        Assert.Equal(new Connection(new Uri("http://option/"), "option-key"), ConfigStore.Resolve("http://option", "option-key", env, stored));
        Assert.Equal(new Connection(new Uri("http://env/"), "env-key"), ConfigStore.Resolve(null, null, env, stored));
        Assert.Equal(new Connection(new Uri("http://file/"), "file-key"), ConfigStore.Resolve(null, null, Variables(), stored));
    }

    [Fact]
    public void Server_and_key_are_resolved_each_on_its_own()
    {
        var resolved = ConfigStore.Resolve(null, "option-key", Variables(), new CliConfig("http://file", "file-key"));

        Assert.Equal(new Connection(new Uri("http://file/"), "option-key"), resolved);
    }

    [Fact]
    public void Without_a_server_or_a_key_it_is_a_usage_error_that_says_to_log_in()
    {
        var error = Assert.Throws<CliException>(() => ConfigStore.Resolve(null, null, Variables(), new CliConfig(null, "k")));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("not_logged_in", error.Code);
        Assert.Contains("updatectl login", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071", "http://127.0.0.1:7071/")]
    [InlineData("https://updates.example.com/base", "https://updates.example.com/base/")]
    [InlineData("https://updates.example.com/base/", "https://updates.example.com/base/")]
    public void Server_urls_are_normalised_to_end_with_a_slash(string value, string expected) =>
        Assert.Equal(new Uri(expected), ConfigStore.ParseServer(value));

    [Theory]
    [InlineData("127.0.0.1:7071")]
    [InlineData("ftp://example.com")]
    [InlineData("not a url")]
    public void Anything_but_an_http_url_is_a_usage_error(string value) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => ConfigStore.ParseServer(value)).ExitCode);
}
