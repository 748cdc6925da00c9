using UpdateFunctions.Core.Apps;

namespace UpdateFunctions.Core.Updates;

/// <summary>The outcome of an update check: an offer or a refusal, each with the reason it was reached.</summary>
public abstract record UpdateDecision(string? Channel, ChannelSource ChannelSource);

/// <summary>Offer <paramref name="Bundle"/> to the device.</summary>
public sealed record UpdateOffer(BundleDefinition Bundle, string Channel, ChannelSource Source)
    : UpdateDecision(Channel, Source);

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
