using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace UpdateFunctions.Console.Tests;

/// <summary>
/// A browser page that records what must never happen on any page of the console: an uncaught script error, a
/// console error (a Content-Security-Policy violation is one, and so is Chromium's "Failed to load resource" for any
/// 4xx or 5xx answer), a JavaScript dialog (an injected alert), or any answer of 400 or more (recorded with its URL).
/// A test that provokes an error answer on purpose asserts on <see cref="Problems"/> itself.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _problems = new();

    private WatchedPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Problems => _problems;

    public static async Task<WatchedPage> CreateAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page);
        page.PageError += (_, error) => watched._problems.Enqueue($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                watched._problems.Enqueue($"console error: {message.Text} ({message.Location})");
        };
        page.Dialog += async (_, dialog) =>
        {
            watched._problems.Enqueue($"dialog: {dialog.Type} {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                watched._problems.Enqueue($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
        };
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure is { } failure && !failure.Contains("ERR_ABORTED", StringComparison.Ordinal))
                watched._problems.Enqueue($"request failed: {request.Method} {request.Url} {failure}");
        };
        page.SetDefaultTimeout(20_000);
        return watched;
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleHost.ScreenshotDirectory, name + ".png"), FullPage = true });

    public void AssertNoProblems() => Assert.True(_problems.IsEmpty, string.Join(Environment.NewLine, _problems));

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Context.DisposeAsync();
    }
}
