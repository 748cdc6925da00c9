using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.Functions.ReleaseConsole;

/// <summary>
/// <c>GET /api/console/{path}</c>: the release console's static files, from the Functions app itself. Azure Functions
/// puts every HTTP function under its route prefix; Front Door (or LocalHost) serves the same files at <c>/console/</c>.
/// </summary>
public sealed class ConsoleFunction(ConsoleFiles files)
{
    public const string Route = "console/{*path}";

    [Function(nameof(GetConsoleFile))]
    public Task<IActionResult> GetConsoleFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RouteValues.TryGetValue("path", out var value) ? value as string : null;
        // The page names its assets relatively, so the index must be asked for as a folder.
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
            return Task.FromResult<IActionResult>(new RedirectResult(request.Path.Value + "/" + request.QueryString, permanent: false));
        return Task.FromResult<IActionResult>(new ConsoleFileResult(files.Find(path), files.ContentSecurityPolicy));
    }
}
