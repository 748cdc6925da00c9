using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Bundles;

namespace UpdateFunctions.Core.Updates;

/// <summary>The outcome of an update check: an offer or a refusal, each with the reason it was reached.</summary>
public abstract record UpdateDecision(string? Channel, ChannelSource ChannelSource);

/// <summary>Offer <paramref name="Bundle"/> to the device.</summary>
/// <param name="Manifest">The bundle's per-file manifest to offer with the zip (partial updates), or null.</param>
/// <param name="Delivery">Why the manifest is offered or not.</param>
public sealed record UpdateOffer(
    BundleDefinition Bundle,
    string Channel,
    ChannelSource Source,
    BundleManifest? Manifest = null,
    ManifestDelivery Delivery = ManifestDelivery.ChannelOff)
    : UpdateDecision(Channel, Source);

/// <summary>Whether an offer carries the bundle's manifest, and if not, why (the zip is always offered).</summary>
public enum ManifestDelivery
{
    /// <summary>The channel does not offer partial updates.</summary>
    ChannelOff,
    /// <summary>The manifest is offered with the zip.</summary>
    Included,
    /// <summary>The bundle has no manifest: external, or committed before manifests were built.</summary>
    NotBuilt,
    /// <summary>The bundle cannot have one (<see cref="BundleDefinition.ManifestUnavailable"/>), e.g. it is encrypted.</summary>
    Unavailable,
    /// <summary>The plugin cannot take manifests with brotli files (before 5.10.0, 6.25.0, 7.0.35, or unknown).</summary>
    PluginTooOld,
    /// <summary>The manifest exists but is not in memory (its read failed); the next snapshot refresh tries again.</summary>
    NotLoaded,
}

/// <summary>Send the device back to the bundle built into its binary (<c>{"version":"builtin"}</c>).</summary>
public sealed record BuiltinOffer(string Channel, ChannelSource Source)
    : UpdateDecision(Channel, Source);

/// <summary>
/// No update: up to date, blocked by channel policy, or failed. <paramref name="Code"/> and
/// <paramref name="Message"/> are the stable wire error (see <see cref="UpdateErrors"/>).
/// </summary>
public sealed record UpdateRefusal(
    string Code,
    string Message,
    RefusalKind Kind,
    string? Channel = null,
    ChannelSource Source = ChannelSource.None,
    string? Version = null,
    string? Old = null,
    bool Major = false,
    string? DeviceKeyId = null,
    string? BundleKeyId = null)
    : UpdateDecision(Channel, Source);
