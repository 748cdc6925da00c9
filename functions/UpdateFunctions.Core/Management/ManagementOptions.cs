using System.ComponentModel.DataAnnotations;

namespace UpdateFunctions.Core.Management;

/// <summary>The management API (configuration section <c>Management</c>, app settings <c>Management__Key</c>).</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>An admin key accepted as is, so a fresh install can mint the first real key. Null disables it.</summary>
    [MinLength(16)]
    public string? BootstrapKey { get; set; }

    /// <summary>Largest JSON body of a management call.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long an upload SAS stays valid.</summary>
    public TimeSpan UploadWindow { get; set; } = TimeSpan.FromMinutes(15);
}
