namespace UpdateFunctions.Functions.ReleaseConsole;

/// <summary>One built file with its pre-compressed forms.</summary>
public sealed record ConsoleFile(string Name, string ContentType, string CacheControl, string ETag, byte[] Bytes, byte[]? Brotli, byte[]? Gzip);
