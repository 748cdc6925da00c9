namespace UpdateFunctions.Core.Apps;

/// <summary>
/// How far a channel lets a device move away from its native version (Capgo's <c>disable_auto_update</c>).
/// </summary>
public enum AutoUpdatePolicy
{
    /// <summary>No fence: any version may be offered.</summary>
    None,
    /// <summary>Refuse a target whose major is above the native major.</summary>
    Major,
    /// <summary>Refuse a target whose major or minor differs from the native version.</summary>
    Minor,
    /// <summary>Refuse a target whose major, minor or patch differs from the native version.</summary>
    Patch,
    /// <summary>Refuse a target whose <c>minUpdateVersion</c> is above the native version.</summary>
    VersionNumber,
}

public static class AutoUpdatePolicyNames
{
    public static bool TryParse(string? value, out AutoUpdatePolicy policy)
    {
        switch (value)
        {
            case "none": policy = AutoUpdatePolicy.None; return true;
            case "major": policy = AutoUpdatePolicy.Major; return true;
            case "minor": policy = AutoUpdatePolicy.Minor; return true;
            case "patch": policy = AutoUpdatePolicy.Patch; return true;
            case "version_number": policy = AutoUpdatePolicy.VersionNumber; return true;
            default: policy = default; return false;
        }
    }

    public static string ToWire(this AutoUpdatePolicy policy) => policy switch
    {
        AutoUpdatePolicy.None => "none",
        AutoUpdatePolicy.Major => "major",
        AutoUpdatePolicy.Minor => "minor",
        AutoUpdatePolicy.Patch => "patch",
        AutoUpdatePolicy.VersionNumber => "version_number",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}
