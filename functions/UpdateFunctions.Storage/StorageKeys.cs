namespace UpdateFunctions.Storage;

/// <summary>
/// Last line of defence for partition and row keys (and blob path segments). Callers validate ids first; this only
/// refuses what Table Storage cannot hold or would misread: empty keys, <c>/ \ # ?</c>, control characters, over 1 KiB.
/// </summary>
internal static class StorageKeys
{
    private const int MaxKeyLength = 1024;

    public static string Check(string? value, string paramName)
    {
        if (string.IsNullOrEmpty(value))
            throw new ArgumentException("A storage key must not be empty.", paramName);
        if (value.Length > MaxKeyLength)
            throw new ArgumentException($"A storage key must be at most {MaxKeyLength} characters.", paramName);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
                throw new ArgumentException($"A storage key must not contain '/', '\\', '#', '?' or control characters: '{Printable(value)}'.", paramName);
        }

        return value;
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
