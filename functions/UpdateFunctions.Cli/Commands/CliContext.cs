using System.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Cli.Configuration;

namespace UpdateFunctions.Cli.Commands;

/// <summary>The options every command has (<c>--server</c>, <c>--key</c>, <c>--json</c>).</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"Server base URL (default: {ConfigStore.ServerVariable}, then the one stored by login)",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"API key (default: {ConfigStore.KeyVariable}, then the one stored by login)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the raw JSON answer instead of a table (for scripts)",
        Recursive = true,
    };
}

/// <summary>One command's run: its parse result, the environment, the API client, and the output helpers.</summary>
public sealed class CliContext(CliEnvironment environment, CliServices services, GlobalOptions globals, ParseResult parse)
{
    private IAnsiConsole? _out;
    private IAnsiConsole? _error;

    public ParseResult Parse { get; } = parse;

    public CliEnvironment Environment { get; } = environment;

    public bool Json => Parse.GetValue(globals.Json);

    public ConfigStore Config { get; } = ConfigStore.ForUser(environment.GetVariable);

    public HttpClient ApiHttp => services.Api;

    public HttpClient BlobHttp => services.Blob;

    /// <summary>Results: tables and JSON.</summary>
    public IAnsiConsole Out => _out ??= CreateConsole(Environment.Out);

    /// <summary>Messages and progress, on stderr.</summary>
    public IAnsiConsole Error => _error ??= CreateConsole(Environment.Error);

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public string? ServerOption => Parse.GetValue(globals.Server);

    public string? KeyOption => Parse.GetValue(globals.Key);

    public async Task<ManagementClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var stored = await Config.ReadAsync(cancellationToken);
        var connection = ConfigStore.Resolve(ServerOption, KeyOption, Environment.GetVariable, stored);
        return new ManagementClient(ApiHttp, connection.Server, connection.Key);
    }

    /// <summary>Prints the server's JSON as it came (one line per answer).</summary>
    public void WriteJson(string body) => Environment.Out.WriteLine(body.TrimEnd());

    /// <summary>A done-message on stderr (results stay alone on stdout).</summary>
    public void Note(string message)
    {
        if (!Json)
            Error.MarkupLine($"[green]✓[/] {Markup.Escape(message)}");
    }

    public void Warn(string message) => Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    public void WriteTable(IEnumerable<string> columns, IEnumerable<IEnumerable<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
            table.AddColumn(new TableColumn(new Text(column)));
        foreach (var row in rows)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell ?? "-")).ToArray());
        Out.Write(table);
    }

    /// <summary>A two-column table of one resource's fields.</summary>
    public void WriteFields(params (string Name, string? Value)[] fields) =>
        WriteTable(["field", "value"], fields.Select(f => new[] { f.Name, f.Value }));

    private IAnsiConsole CreateConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Environment.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Environment.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Environment.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // Redirected output (a file, a pipe, grep) is not wrapped at 80 columns: one row stays one line.
        if (!Environment.Interactive)
            console.Profile.Width = RedirectedWidth;
        return console;
    }

    private const int RedirectedWidth = 1000;
}

/// <summary>The HTTP clients of a run: the environment's, or ones created (and disposed) for it.</summary>
public sealed class CliServices : IDisposable
{
    private readonly HttpClient? _ownedApi;
    private readonly HttpClient? _ownedBlob;

    public CliServices(CliEnvironment environment)
    {
        Api = environment.ApiClient ?? (_ownedApi = CreateClient(TimeSpan.FromSeconds(100)));
        // A block or a single PUT of up to 8 MiB on a slow link: minutes, not seconds.
        Blob = environment.BlobClient ?? (_ownedBlob = CreateClient(TimeSpan.FromMinutes(30)));
    }

    public HttpClient Api { get; }

    public HttpClient Blob { get; }

    public void Dispose()
    {
        _ownedApi?.Dispose();
        _ownedBlob?.Dispose();
    }

    private static HttpClient CreateClient(TimeSpan timeout)
    {
        var client = new HttpClient { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"updatectl/{typeof(CliServices).Assembly.GetName().Version?.ToString(3) ?? "0"}");
        return client;
    }
}
