using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UpdateFunctions.Console.Tests;

/// <summary>
/// A browser page that records what must never happen on any page of the console: an uncaught script error, a
/// console error (a Content-Security-Policy violation is one), a JavaScript dialog (an injected alert), or a 5xx.
/// Chromium also logs every 4xx answer as "Failed to load resource"; those are the API's normal answers (the sign-in
/// of a refused key, the role probe of a read-only key) and are recorded as responses, not as errors.
/// </summary>
public sealed partial class WatchedPage : IAsyncDisposable
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
            if (message.Type == "error" && !FailedToLoad4xx().IsMatch(message.Text))
                watched._problems.Enqueue($"console error: {message.Text}");
        };
        page.Dialog += async (_, dialog) =>
        {
            watched._problems.Enqueue($"dialog: {dialog.Type} {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
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

    public void AssertNoProblems() => Assert.Empty(_problems);

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Context.DisposeAsync();
    }

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of 4\d\d")]
    private static partial Regex FailedToLoad4xx();
}
