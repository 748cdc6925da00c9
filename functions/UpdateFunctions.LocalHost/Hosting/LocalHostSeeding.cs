using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Seeding;

namespace UpdateFunctions.LocalHost.Hosting;

internal static partial class LocalHostSeeding
{
    /// <summary>
    /// Loads the seed file named by <c>--seed FILE</c> before serving: only the rows that are missing, so a restart
    /// keeps what was changed since through the management API, unless <c>--reseed=true</c> asks to make every row
    /// the file names hold what it says. A bad seed stops LocalHost with the parser's message rather than serving half
    /// a state.
    /// </summary>
    public static async Task SeedIfRequestedAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var path = app.Configuration["seed"];
        if (string.IsNullOrEmpty(path))
            return;

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("UpdateFunctions.LocalHost.Seed");
        var loader = app.Services.GetRequiredService<SeedLoader>();
        var mode = app.Configuration.GetValue<bool>("reseed") ? SeedMode.Overwrite : SeedMode.MissingOnly;
        var result = await loader.LoadFileAsync(path, mode, cancellationToken);

        // The seed is written behind the snapshots' back: drop whatever an earlier request may have cached.
        var snapshots = app.Services.GetRequiredService<IAppSnapshotSource>();
        foreach (var appId in await SeededAppIdsAsync(path, cancellationToken))
            snapshots.Invalidate(appId);

        if (mode == SeedMode.Overwrite)
            LogReseeded(logger, path, result.Apps, result.RowsWritten, result.RowsUnchanged);
        else
            LogSeeded(logger, path, result.Apps, result.RowsWritten, result.RowsUnchanged);
    }

    private static async Task<IEnumerable<string>> SeededAppIdsAsync(string path, CancellationToken cancellationToken) =>
        SeedParser.Parse(await File.ReadAllTextAsync(path, cancellationToken)).Apps.Select(a => a.Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Path}: {Apps} app(s), {Written} missing row(s) written, {Kept} existing row(s) kept (--reseed=true overwrites them)")]
    private static partial void LogSeeded(ILogger logger, string path, int apps, int written, int kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reseeded {Path}: {Apps} app(s), {Written} row(s) written, {Unchanged} already as the file says")]
    private static partial void LogReseeded(ILogger logger, string path, int apps, int written, int unchanged);
}
