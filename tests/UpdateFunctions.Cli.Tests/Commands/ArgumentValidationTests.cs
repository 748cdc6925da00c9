using UpdateFunctions.Cli.Tests.Support;

namespace UpdateFunctions.Cli.Tests.Commands;

/// <summary>Bad command lines exit 2 with a message, before any call (no server is configured or reachable here).</summary>
public sealed class ArgumentValidationTests : IDisposable
{
    private readonly CliRun _cli = new CliRun().With("UPDATECTL_SERVER", "http://127.0.0.1:9").With("UPDATECTL_KEY", "k");

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_bundle_version_that_is_not_semver_exits_2_with_a_message()
    {
        using var folder = TempFolder.WebBuild();

        var result = await _cli.RunAsync("bundle", "upload", folder.Path, "--app", "com.demo.app", "--version", "1.2");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: '1.2' is not a semantic version", result.Error, StringComparison.Ordinal);
        Assert.Contains("updatectl bundle upload --help", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Did you mean 'updatectl channel'?", "chanel", "list", "com.demo.app")]
    [InlineData("Did you mean 'updatectl rollout'?", "rolout", "list", "com.demo.app")]
    [InlineData("Did you mean 'updatectl bundle list'?", "bundle", "lsit", "com.demo.app")]
    [InlineData("Did you mean 'updatectl bundle upload --private-key'?", "bundle", "upload", ".", "--app", "com.demo.app", "--version", "1.0.0", "--privte-key", "k")]
    public async Task A_mistyped_command_or_option_suggests_the_closest_one(string suggestion, params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(suggestion, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_suggested_for_a_word_that_is_no_typo()
    {
        var result = await _cli.RunAsync("deploy", "everything");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.DoesNotContain("Did you mean", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_upload_help_names_the_private_key_option_it_has()
    {
        var result = await _cli.RunAsync("bundle", "upload", "--help");

        Assert.Contains("--private-key", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("with --key", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bundle", "upload", ".", "--app", "com.demo.app")]                              // --version missing
    [InlineData("bundle", "upload", ".", "--app", "demo", "--version", "1.0.0")]                // app id not reverse-domain
    [InlineData("bundle", "upload", ".", "--app", "com.demo.app", "--version", "v1.0.0")]       // "v" prefix
    [InlineData("bundle", "upload", ".", "--app", "com.demo.app", "--version", "1.0.0", "--channel", "bad/name")]
    [InlineData("bundle", "delete", "com.demo.app", "01.0.0")]                                  // leading zero
    [InlineData("channel", "rollback", "com.demo.app", "beta")]                                 // --to missing
    [InlineData("channel", "rollback", "com.demo.app", "beta", "--to", "latest")]
    [InlineData("channel", "create", "com.demo.app", "beta", "--disable-auto-update", "sometimes")]
    [InlineData("channel", "set", "com.demo.app", "beta", "--ios", "maybe")]
    [InlineData("device", "set", "com.demo.app", "not a device id", "--channel", "beta")]
    [InlineData("device", "show", "com.demo.app", "0c0ffee0", "--platform", "windows")]
    [InlineData("key", "create", "--name", "ci", "--role", "owner")]
    [InlineData("key", "create", "--name", "ci", "--role", "read", "--expires", "next year")]
    [InlineData("audit", "--top", "0")]
    [InlineData("app")]                                                                          // no subcommand
    [InlineData("frobnicate")]
    public async Task Invalid_command_lines_exit_2(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("channel", "set", "com.demo.app", "beta")]
    [InlineData("device", "set", "com.demo.app", "0c0ffee0")]
    [InlineData("app", "set", "com.demo.app")]
    public async Task Commands_that_would_change_nothing_exit_2(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: nothing to change", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_exits_2()
    {
        var result = await _cli.RunAsync("bundle", "upload", "/no/such/folder", "--app", "com.demo.app", "--version", "1.0.0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_login_a_command_exits_2_and_says_how_to_log_in()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("app", "list");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("updatectl login", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_every_command()
    {
        var result = await _cli.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var command in new[] { "login", "logout", "app", "channel", "bundle", "device", "key", "audit" })
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        Assert.Contains("updatectl", result.Out, StringComparison.Ordinal);
    }
}
