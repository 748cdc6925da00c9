using Microsoft.AspNetCore.Http;
using UpdateFunctions.Cli.Configuration;
using UpdateFunctions.Cli.Tests.Support;

namespace UpdateFunctions.Cli.Tests.Commands;

public sealed class LoginTests
{
    private const string WhoAmI = """{"id":"k_0123456789abcdef","name":"ci","role":"read","apps":["com.demo.app"],"expiresAt":null}""";

    private static Task Answer(StubRequest request, HttpResponse response) =>
        StubServer.JsonAsync(response, 200, request.Path == "/api/v1/whoami" ? WhoAmI : "[]");

    [Fact]
    public async Task Login_checks_the_key_says_which_key_it_is_stores_server_and_key_and_later_commands_use_them()
    {
        await using var server = await StubServer.StartAsync(Answer);
        using var cli = new CliRun();

        var login = await cli.RunAsync("login", server.Url.ToString(), "--key", "uf_stored");
        var list = await cli.RunAsync("app", "list");

        Assert.Equal(ExitCodes.Ok, login.ExitCode);
        Assert.Contains("as ci (role read, apps: com.demo.app)", login.Error, StringComparison.Ordinal);
        var stored = await new ConfigStore(cli.ConfigPath).ReadAsync(CancellationToken.None);
        Assert.Equal(new CliConfig(server.Url.ToString().TrimEnd('/'), "uf_stored"), stored);
        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        Assert.Equal([("/api/v1/whoami", "Bearer uf_stored"), ("/api/v1/apps", "Bearer uf_stored")], server.Requests.Select(r => (r.Path, r.Authorization)));
    }

    [Fact]
    public async Task A_refused_key_is_not_stored_and_exits_3()
    {
        await using var server = await StubServer.StartAsync((_, response) =>
            StubServer.JsonAsync(response, 401, """{"error":"unauthorized","message":"unknown key"}"""));
        using var cli = new CliRun();

        var result = await cli.RunAsync("login", server.Url.ToString(), "--key", "wrong");

        Assert.Equal(ExitCodes.Auth, result.ExitCode);
        Assert.Equal("error: unknown key (unauthorized)", result.Error.Trim());
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task Logout_removes_the_config_file()
    {
        await using var server = await StubServer.StartAsync(Answer);
        using var cli = new CliRun();
        await cli.RunAsync("login", server.Url.ToString(), "--key", "k");

        var result = await cli.RunAsync("logout");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.False(File.Exists(cli.ConfigPath));
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("app", "list")).ExitCode);
    }

    [Fact]
    public async Task Options_override_the_stored_login()
    {
        await using var stored = await StubServer.StartAsync(Answer);
        await using var other = await StubServer.StartAsync((_, response) => StubServer.JsonAsync(response, 200, "[]"));
        using var cli = new CliRun();
        await cli.RunAsync("login", stored.Url.ToString(), "--key", "stored-key");

        await cli.RunAsync("app", "list", "--server", other.Url.ToString());

        var request = Assert.Single(other.Requests);
        Assert.Equal("Bearer stored-key", request.Authorization);
        Assert.Single(stored.Requests);
    }
}
