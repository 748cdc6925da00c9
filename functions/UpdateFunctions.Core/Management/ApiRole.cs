namespace UpdateFunctions.Core.Management;

/// <summary>What an API key may do; each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Every GET.</summary>
    Read = 0,
    /// <summary>Bundle upload and commit.</summary>
    Upload = 1,
    /// <summary>Apps, channels, devices, bundle delete, a channel's bundle.</summary>
    Write = 2,
    /// <summary>API keys and creating apps.</summary>
    Admin = 3,
}

public static class ApiRoleNames
{
    public static bool TryParse(string? value, out ApiRole role)
    {
        switch (value)
        {
            case "read": role = ApiRole.Read; return true;
            case "upload": role = ApiRole.Upload; return true;
            case "write": role = ApiRole.Write; return true;
            case "admin": role = ApiRole.Admin; return true;
            default: role = default; return false;
        }
    }

    public static string ToWire(this ApiRole role) => role switch
    {
        ApiRole.Read => "read",
        ApiRole.Upload => "upload",
        ApiRole.Write => "write",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
