using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Management;

/// <summary>Domain records to wire DTOs.</summary>
public static class ManagementMapping
{
    public static AppDto ToDto(this AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new(app.Id, app.Name, app.DefaultChannel, app.PublicKey, app.KeyId, app.CreatedAt);
    }

    public static ChannelDto ToDto(this ChannelDefinition c, string? defaultChannel)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Name, c.Id, c.Bundle, string.Equals(c.Name, defaultChannel, StringComparison.Ordinal),
            c.Ios, c.Android, c.Electron, c.AllowDeviceSelfSet, c.AllowEmulator, c.AllowDevice, c.AllowDev, c.AllowProd,
            c.DisableAutoUpdate.ToWire(), c.DisableAutoUpdateUnderNative, c.PartialUpdates, c.ActiveRollout);
    }

    public static BundleDto ToDto(this BundleDefinition b, IBundleBlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(blobs);
        var url = b.BlobPath is { } path ? blobs.GetDownloadUri(path).AbsoluteUri : b.ExternalUrl;
        return new(b.Version, b.Checksum, b.Size, b.BlobPath, url, b.SessionKey, b.KeyId, b.MinUpdateVersion, b.Link, b.Comment, b.CreatedAt,
            b.ToManifestDto());
    }

    public static ManifestDto ToManifestDto(this BundleDefinition b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b switch
        {
            { Manifest: { } m } => new ManifestDto("ready", m.Files, m.Size, m.StoredSize),
            { ManifestUnavailable: { } reason } => new ManifestDto("unavailable", Reason: reason),
            _ => new ManifestDto("none"),
        };
    }

    public static KeyDto ToDto(this ApiKey k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new(k.Id, k.Name, k.Role.ToWire(), k.Apps, k.ExpiresAt, k.CreatedAt);
    }

    public static AuditDto ToDto(this AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.At, e.KeyId, e.Action, e.AppId, e.Resource, Parse(e.Before), Parse(e.After));
    }

    public static string ToWire(this ChannelSource source) => source switch
    {
        ChannelSource.AdminOverride => "admin_override",
        ChannelSource.RequestedDefaultChannel => "requested_default_channel",
        ChannelSource.SelfAssigned => "self_assigned",
        ChannelSource.PublicDefault => "public_default",
        _ => "none",
    };

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
