namespace UpdateFunctions.Cli.Configuration;

/// <summary>What <c>updatectl login</c> stores: the server's base URL and the API key.</summary>
public sealed record CliConfig(string? Server, string? Key);

/// <summary>The server and key a command uses, with where each came from (for messages).</summary>
public sealed record Connection(Uri Server, string Key);
