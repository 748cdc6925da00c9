namespace UpdateFunctions.LocalHost;

/// <summary>
/// Names LocalHost's assembly for in-process tests (<c>WebApplicationFactory&lt;LocalHostEntryPoint&gt;</c>): the
/// top-level <c>Program</c> would be ambiguous with the Functions app's own.
/// </summary>
public sealed class LocalHostEntryPoint;
