namespace UpdateFunctions.Core.Apps;

/// <summary>The device platforms the Capgo plugin reports.</summary>
public enum Platform
{
    Ios,
    Android,
    Electron,
}

public static class PlatformNames
{
    public static bool TryParse(string? value, out Platform platform)
    {
        switch (value)
        {
            case "ios": platform = Platform.Ios; return true;
            case "android": platform = Platform.Android; return true;
            case "electron": platform = Platform.Electron; return true;
            default: platform = default; return false;
        }
    }

    public static string ToWire(this Platform platform) => platform switch
    {
        Platform.Ios => "ios",
        Platform.Android => "android",
        Platform.Electron => "electron",
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
