using System.Net;
using System.Net.Sockets;
using UpdateFunctions.Cli.Tests.Support;

namespace UpdateFunctions.Cli.Tests.Commands;

/// <summary>Server answers become <c>error: message (code)</c> on stderr and a stable exit code.</summary>
public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(400, "invalid_id", ExitCodes.Error)]
    [InlineData(403, "forbidden", ExitCodes.Auth)]
    [InlineData(404, "app_not_found", ExitCodes.NotFound)]
    [InlineData(409, "conflict", ExitCodes.Conflict)]
    [InlineData(412, "precondition_failed", ExitCodes.Conflict)]
    [InlineData(500, "internal", ExitCodes.Error)]
    [InlineData(503, "storage_unavailable", ExitCodes.Unavailable)]
    public async Task An_error_answer_prints_its_message_and_code_and_exits_with_the_mapped_code(int status, string code, int exitCode)
    {
        await using var server = await StubServer.StartAsync((_, response) =>
            StubServer.JsonAsync(response, status, $$"""{"error":"{{code}}","message":"it went wrong"}"""));
        using var cli = new CliRun();

        var result = await cli.RunAsync("app", "show", "com.demo.app", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal($"error: it went wrong ({code})", result.Error.Trim());
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task A_401_says_how_to_log_in_again()
    {
        await using var server = await StubServer.StartAsync((_, response) =>
            StubServer.JsonAsync(response, 401, """{"error":"unauthorized","message":"Missing or unknown API key"}"""));
        using var cli = new CliRun();

        var result = await cli.RunAsync("app", "list", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Auth, result.ExitCode);
        Assert.Equal("error: Missing or unknown API key; log in again with 'updatectl login <server> --key <key>' "
            + "(./run.sh keeps its key in .run/bootstrap-key) (unauthorized)", result.Error.Trim());
    }

    [Fact]
    public async Task Retry_after_of_a_503_is_part_of_the_message()
    {
        await using var server = await StubServer.StartAsync(async (_, response) =>
        {
            response.Headers.RetryAfter = "5";
            await StubServer.JsonAsync(response, 503, """{"error":"storage_unavailable","message":"storage is unavailable"}""");
        });
        using var cli = new CliRun();

        var result = await cli.RunAsync("app", "list", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("error: storage is unavailable; retry after 5 s (storage_unavailable)", result.Error.Trim());
    }

    [Fact]
    public async Task A_404_without_the_api_error_shape_names_the_call()
    {
        await using var server = await StubServer.StartAsync((_, response) => { response.StatusCode = 404; return Task.CompletedTask; });
        using var cli = new CliRun();

        var result = await cli.RunAsync("bundle", "list", "com.demo.app", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains($"GET {server.Url}api/v1/apps/com.demo.app/bundles answered 404", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_exits_6_and_names_the_server()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var cli = new CliRun().With("UPDATECTL_SERVER", url).With("UPDATECTL_KEY", "k");

        var result = await cli.RunAsync("app", "list");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the server at {url}/:", result.Error, StringComparison.Ordinal);
        Assert.Contains("(server_unreachable)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_call_carries_the_key_as_a_bearer_token_and_json_prints_the_body_unchanged()
    {
        const string Body = """[{"id":"com.demo.app","name":"Demo","defaultChannel":"production","publicKey":null,"keyId":null,"createdAt":"2026-01-01T00:00:00Z"}]""";
        await using var server = await StubServer.StartAsync((_, response) => StubServer.JsonAsync(response, 200, Body));
        using var cli = new CliRun().With("UPDATECTL_SERVER", server.Url.ToString()).With("UPDATECTL_KEY", "uf_from_env");

        var result = await cli.RunAsync("app", "list", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Body, result.Out.Trim());
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/api/v1/apps", "Bearer uf_from_env"), (request.Method, request.Path, request.Authorization));
    }

    [Fact]
    public async Task Tables_show_the_fields_without_json()
    {
        await using var server = await StubServer.StartAsync((_, response) => StubServer.JsonAsync(response, 200,
            """[{"name":"beta","id":2,"bundle":"1.1.0","public":false,"ios":true,"android":true,"electron":false,"allowDeviceSelfSet":true,"allowEmulator":true,"allowDevice":true,"allowDev":true,"allowProd":true,"disableAutoUpdate":"none","disableAutoUpdateUnderNative":true}]"""));
        using var cli = new CliRun();

        var result = await cli.RunAsync("channel", "list", "com.demo.app", "--server", server.Url.ToString(), "--key", "k");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("beta", result.Out, StringComparison.Ordinal);
        Assert.Contains("1.1.0", result.Out, StringComparison.Ordinal);
        Assert.Contains("ios,android", result.Out, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
