using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Versions;
using static UpdateFunctions.Core.Management.ManagementRefusals;
using static UpdateFunctions.Core.Management.ManagementChanges;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Staged rollouts: create (claiming the channel: one draft, running or paused rollout per channel), the state
/// machine's actions (<see cref="RolloutTransitions"/>), and a status view with each gated segment's live health and
/// what the timer would decide now. Every change is ETag-guarded and audited.
/// </summary>
public sealed partial class RolloutService(ManagementChanges changes, ICatalogStore catalog, IRolloutHealthSource health, TimeProvider clock)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    /// <summary>Most segments one rollout may name (each is a gate read on every tick).</summary>
    public const int MaxRolloutSegments = 8;

    public async Task<ManagementResult<JsonElement>> CreateRolloutAsync(
        ManagementCaller caller, string appId, CreateRolloutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceInfoReader.IsValidChannelName(request.Channel))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'channel' is required: the name of the channel to roll out on.");
        if (!BundleVersion.IsValid(request.Target))
            return ManagementError.Invalid(ManagementErrors.InvalidVersion, "'target' is required: the strict semver version of the bundle to roll out.");
        if (request.Id is { } wantedId && !IsValidRolloutId(wantedId))
            return ManagementError.Invalid(ManagementErrors.InvalidId, "'id' must be 1-40 lower-case letters, digits or '-', starting with a letter or digit.");
        var segments = request.Segments ?? [];
        if (segments.Count > MaxRolloutSegments || segments.Distinct(StringComparer.Ordinal).Count() != segments.Count)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'segments' names at most {MaxRolloutSegments} distinct segments.");
        var steps = request.Steps ?? [.. RolloutDefinition.DefaultSteps];
        if (!RolloutDefinition.AreValidSteps(steps))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, "'steps' must be 1-20 strictly increasing percentages from 1 to 100, ending at 100, e.g. [1,5,25,50,100].");
        if (ReadGates(request.Gates) is not { } gates)
            return ManagementError.Invalid(ManagementErrors.InvalidBody,
                "'gates': minStepDuration is a duration up to 30 days (1h, 30m, PT1H), minSamples 1-1000000, maxFailureRate from 0 to 1 (0.05 = 5 %).");
        var gated = segments.Count == 0 ? [RolloutDefinition.Everyone] : segments;
        var windows = new Dictionary<string, MaintenanceWindow>(StringComparer.Ordinal);
        foreach (var (segment, wanted) in request.Windows ?? [])
        {
            if (!gated.Contains(segment))
                return ManagementError.Invalid(ManagementErrors.InvalidBody, $"'windows' names '{segment}', which is not one of the rollout's segments ({string.Join(", ", gated)}).");
            if (ReadWindow(wanted) is not { } window)
                return ManagementError.Invalid(ManagementErrors.InvalidBody,
                    $"'windows.{segment}' needs days (e.g. [\"sat\"]), start and end (HH:mm, different) and a known IANA timeZone (e.g. Europe/Paris).");
            windows[segment] = window;
        }

        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        if (!snapshot.Channels.TryGetValue(request.Channel!, out var channel))
            return ChannelNotFound(appId, request.Channel!);
        foreach (var segment in segments)
        {
            if (!snapshot.Segments.Any(s => s.Name == segment))
                return SegmentNotFound(appId, segment);
        }
        if (await catalog.GetBundleAsync(appId, request.Target!, cancellationToken) is null)
            return ManagementError.NotFound(ManagementErrors.BundleNotFound, $"Bundle '{request.Target}' does not exist in app '{appId}'.");
        if (channel.Bundle is null)
            return ManagementError.Conflict($"Channel '{channel.Name}' serves no bundle yet: set its bundle (the rollout's baseline) first.");
        if (channel.ActiveRollout is null && channel.Bundle == request.Target)
            return NothingToRollOut(channel.Name, channel.Bundle);

        var id = request.Id ?? NewRolloutId();
        if (await RolloutChannelLock.HolderAsync(catalog, appId, channel, cancellationToken) is { } holder)
            return RolloutHolds(channel.Name, holder);

        // The row first, then the claim: a claim always points at a rollout that exists, so a pointer to a missing
        // row can only be left by a deleted draft and is safely taken over.
        var now = clock.GetUtcNow();
        var rollout = RolloutDefinition.CreateDraft(id, channel.Name, channel.Bundle, request.Target!, NewSalt(), now, segments, steps, gates, windows);
        if (string.Equals(rollout.BaselineBundle, rollout.TargetBundle, StringComparison.Ordinal))
            return NothingToRollOut(channel.Name, rollout.BaselineBundle);
        string etag;
        try
        {
            etag = await catalog.PutRolloutAsync(appId, rollout, WriteCondition.Create, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Conflict($"Rollout '{id}' exists already in app '{appId}'.");
        }

        var claim = await RolloutChannelLock.ClaimAsync(catalog, appId, channel.Name, id, cancellationToken);
        if (claim.Channel?.Bundle is not { } baseline || claim.HeldBy is not null || baseline == rollout.TargetBundle)
        {
            await catalog.DeleteRolloutAsync(appId, id, WriteCondition.Matching(etag), cancellationToken);
            if (claim.Channel is { } claimed)
                await RolloutChannelLock.ReleaseAsync(catalog, appId, rollout with { BaselineBundle = claimed.Bundle! }, cancellationToken);
            return claim.HeldBy is { } heldBy ? RolloutHolds(channel.Name, heldBy)
                : claim.ChannelMissing ? ChannelNotFound(appId, channel.Name)
                : claim.Channel!.Bundle is null ? ManagementError.Conflict($"Channel '{channel.Name}' serves no bundle yet: set its bundle (the rollout's baseline) first.")
                : NothingToRollOut(channel.Name, claim.Channel.Bundle);
        }
        if (baseline != rollout.BaselineBundle)
        {
            // The claim settled a completed rollout's channel: the baseline is what devices really get.
            rollout = rollout with { BaselineBundle = baseline };
            etag = await catalog.PutRolloutAsync(appId, rollout, WriteCondition.Matching(etag), cancellationToken);
        }
        if (request.Start == true)
        {
            rollout = await RolloutHealth.RecordOriginAsync(health, appId, null,
                RolloutTransitions.Apply(rollout, RolloutAction.Start, now, caller.KeyId).Rollout!, cancellationToken);
            etag = await catalog.PutRolloutAsync(appId, rollout, WriteCondition.Matching(etag), cancellationToken);
        }

        await changes.AuditAsync(caller, "rollout.create", appId, $"apps/{appId}/rollouts/{id}", null, ToJson(rollout), Json.NullableJsonElement, cancellationToken);
        changes.Invalidate(appId);
        return ManagementResult.Created(ToJson(rollout), etag);
    }

    /// <summary>The app's rollouts, newest first (query filters: channel, state).</summary>
    public async Task<ManagementResult<List<JsonElement>>> ListRolloutsAsync(string appId, string? channel, string? state, CancellationToken cancellationToken)
    {
        RolloutState? wantedState = null;
        if (state is not null)
        {
            if (!Enum.GetValues<RolloutState>().Any(s => RolloutTransitions.ToWire(s) == state))
                return ManagementError.Invalid(ManagementErrors.InvalidBody, "'state' must be one of draft, running, paused, completed, halted, rolled_back.");
            wantedState = Enum.GetValues<RolloutState>().First(s => RolloutTransitions.ToWire(s) == state);
        }
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);
        var rollouts = await catalog.ListRolloutsAsync(appId, cancellationToken);
        return ManagementResult.Ok(rollouts
            .Select(r => r.Value)
            .Where(r => (channel is null || r.Channel == channel) && (wantedState is null || r.State == wantedState))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(ToJson)
            .ToList());
    }

    /// <summary>
    /// One rollout with its status: each gated segment's health since the step started (target and baseline), the
    /// decision the timer would take now (<c>preview</c>), and the earliest time of the next step.
    /// </summary>
    public async Task<ManagementResult<JsonElement>> GetRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken)
    {
        var read = await ReadRolloutAsync(appId, rolloutId, cancellationToken);
        if (read.Error is { } notFound)
            return notFound;
        var rollout = read.Value!.Value;
        var now = clock.GetUtcNow();
        var gates = rollout.State is RolloutState.Running or RolloutState.Paused
            ? await RolloutHealth.ReadAsync(health, appId, rollout, cancellationToken)
            : [];
        var preview = rollout.State is RolloutState.Running or RolloutState.Paused ? RolloutAdvancer.Decide(rollout, gates, now) : null;
        var status = new RolloutStatusView(
            preview?.Segments ?? [],
            preview,
            rollout.State == RolloutState.Running && rollout.StepStartedAt is { } stepStart ? stepStart + rollout.Gates.MinStepDuration : null,
            now);
        var json = JsonNode.Parse(RolloutJson.Write(rollout))!.AsObject();
        json["status"] = JsonNode.Parse(JsonSerializer.Serialize(status, RolloutJsonContext.Default.RolloutStatusView));
        using var document = JsonDocument.Parse(json.ToJsonString());
        return ManagementResult.Ok(document.RootElement.Clone(), read.Value.ETag);
    }

    /// <summary>
    /// <c>start</c>, <c>pause</c>, <c>resume</c>, <c>advance</c>, <c>halt</c>, <c>rollback</c>, <c>complete</c>
    /// (<see cref="RolloutTransitions.ParseAction"/>; null = unknown, 404), or a percentage set by hand. A rollout that ends frees its channel and points it at
    /// what it serves from then on (<see cref="RolloutChannelLock.SettledBundle"/>).
    /// </summary>
    public async Task<ManagementResult<JsonElement>> ActOnRolloutAsync(
        ManagementCaller caller, string appId, string rolloutId, RolloutAction? action, int? percent, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (action is null)
            return ManagementError.NotFound(ManagementErrors.NotFound, "Unknown rollout action: start, pause, resume, advance, halt, rollback or complete.");
        var actionName = action == RolloutAction.SetPercentage ? "percentage" : action.Value.ToString().ToLowerInvariant();
        if (action == RolloutAction.SetPercentage && percent is not (>= 1 and <= 100))
            return ManagementError.Invalid(ManagementErrors.InvalidPercentage, "'percent' must be an integer from 1 to 100.");

        return await changes.UpdateAsync(caller, "rollout." + actionName, appId, $"apps/{appId}/rollouts/{rolloutId}", ifMatch,
            ct => ReadRolloutAsync(appId, rolloutId, ct),
            async (current, ct) =>
            {
                var transition = RolloutTransitions.Apply(current, action.Value, clock.GetUtcNow(), caller.KeyId, percent);
                if (transition.Rollout is not { } next)
                    return ManagementError.Conflict(ManagementErrors.InvalidTransition, transition.Message!);
                if (action == RolloutAction.Start && await EnsureClaimAsync(appId, current, ct) is { } unclaimed)
                    return unclaimed;
                if (action == RolloutAction.Rollback && current.State == RolloutState.Halted
                    && await catalog.GetChannelAsync(appId, current.Channel, ct) is { } channel
                    && (channel.Value.ActiveRollout is { } other && other != current.Id || channel.Value.Bundle != current.BaselineBundle))
                {
                    return ManagementError.Conflict(ManagementErrors.InvalidTransition,
                        $"Channel '{current.Channel}' moved on since this rollout halted (it serves {channel.Value.Bundle ?? "nothing"}): set the channel's bundle instead.");
                }
                return Change.To(await RolloutHealth.RecordOriginAsync(health, appId, current, next, ct));
            },
            async (next, condition, ct) =>
            {
                var etag = await catalog.PutRolloutAsync(appId, next, condition, ct);
                if (!next.IsActive)
                    await RolloutChannelLock.ReleaseAsync(catalog, appId, next, ct);
                return etag;
            },
            ToJson, Json.JsonElement, cancellationToken);
    }

    /// <summary>Deletes a draft (a rollout that ran stays, as the record of what happened) and frees its channel.</summary>
    public async Task<ManagementResult<NoContent>> DeleteRolloutAsync(
        ManagementCaller caller, string appId, string rolloutId, string? ifMatch, CancellationToken cancellationToken)
    {
        var read = await ReadRolloutAsync(appId, rolloutId, cancellationToken);
        if (read.Error is { } notFound)
            return notFound;
        var existing = read.Value!;
        if (ifMatch is not null && !ETagMatches(ifMatch, existing.ETag))
            return ManagementError.Stale($"Rollout '{rolloutId}' changed since it was read.");
        if (existing.Value.State != RolloutState.Draft)
            return ManagementError.Conflict(ManagementErrors.InvalidTransition,
                $"Only a draft can be deleted; this rollout is {RolloutTransitions.ToWire(existing.Value.State)} (halt or complete it instead).");
        try
        {
            await catalog.DeleteRolloutAsync(appId, rolloutId, WriteCondition.Matching(existing.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Stale($"Rollout '{rolloutId}' changed while it was being deleted; read it again.");
        }
        await RolloutChannelLock.ReleaseAsync(catalog, appId, existing.Value, cancellationToken);
        await changes.AuditAsync(caller, "rollout.delete", appId, $"apps/{appId}/rollouts/{rolloutId}", (JsonElement?)ToJson(existing.Value), null, Json.NullableJsonElement, cancellationToken);
        changes.Invalidate(appId);
        return NoContent.Result;
    }

    /// <summary>
    /// A draft holds its channel from creation; this re-claims it if the claim was lost (a crash between the draft's
    /// row and its claim), refusing when another rollout holds the channel or its bundle is no longer the baseline.
    /// </summary>
    private async Task<ManagementError?> EnsureClaimAsync(string appId, RolloutDefinition draft, CancellationToken cancellationToken)
    {
        if (await catalog.GetChannelAsync(appId, draft.Channel, cancellationToken) is not { } channel)
            return ChannelNotFound(appId, draft.Channel);
        if (channel.Value.ActiveRollout == draft.Id)
            return null;
        var claim = await RolloutChannelLock.ClaimAsync(catalog, appId, draft.Channel, draft.Id, cancellationToken);
        if (claim.HeldBy is { } holder)
            return RolloutHolds(draft.Channel, holder);
        if (claim.Channel is null)
            return ChannelNotFound(appId, draft.Channel);
        if (claim.Channel.Bundle != draft.BaselineBundle)
        {
            await RolloutChannelLock.ReleaseAsync(catalog, appId, draft, cancellationToken);
            return ManagementError.Conflict(ManagementErrors.InvalidTransition,
                $"Channel '{draft.Channel}' now serves {claim.Channel.Bundle ?? "nothing"}, not this draft's baseline {draft.BaselineBundle}: delete the draft and create a new one.");
        }
        return null;
    }

    /// <summary>Whether a rollout id is one this API issues or accepts (it becomes a table row key).</summary>
    public static bool IsValidRolloutId(string? id) => id is not null && RolloutIdPattern().IsMatch(id);

    private static ManagementError NothingToRollOut(string channelName, string bundle) =>
        ManagementError.Conflict($"Channel '{channelName}' already serves {bundle}: there is nothing to roll out.");

    private async Task<ManagementResult<Versioned<RolloutDefinition>>> ReadRolloutAsync(string appId, string rolloutId, CancellationToken cancellationToken) =>
        await catalog.GetRolloutAsync(appId, rolloutId, cancellationToken) is { } rollout
            ? ManagementResult.Ok(rollout)
            : await catalog.GetAppAsync(appId, cancellationToken) is null
                ? AppNotFound(appId)
                : ManagementError.NotFound(ManagementErrors.RolloutNotFound, $"Rollout '{rolloutId}' does not exist in app '{appId}'.");

    private static RolloutGates? ReadGates(RolloutGatesRequest? wanted)
    {
        var gates = RolloutGates.Default;
        if (wanted is null)
            return gates;
        if (wanted.MinStepDuration is { } text)
        {
            if (!DurationText.TryParse(text, out var duration) || duration > TimeSpan.FromDays(30))
                return null;
            gates = gates with { MinStepDuration = duration };
        }
        if (wanted.MinSamples is { } samples)
        {
            if (samples is < 1 or > 1_000_000)
                return null;
            gates = gates with { MinSamples = samples };
        }
        if (wanted.MaxFailureRate is { } rate)
        {
            if (!double.IsFinite(rate) || rate < 0 || rate > 1)
                return null;
            gates = gates with { MaxFailureRate = rate };
        }
        if (wanted.CompareWithBaseline is { } compare)
            gates = gates with { CompareWithBaseline = compare };
        return gates;
    }

    private static MaintenanceWindow? ReadWindow(MaintenanceWindowRequest? wanted)
    {
        if (wanted?.Days is not { Count: > 0 and <= 7 } dayNames || !MaintenanceWindow.IsKnownTimeZone(wanted.TimeZone))
            return null;
        var days = new List<DayOfWeek>(dayNames.Count);
        foreach (var name in dayNames)
        {
            var day = Enum.GetValues<DayOfWeek>().Where(d =>
                    string.Equals(d.ToString(), name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(d.ToString()[..3], name, StringComparison.OrdinalIgnoreCase))
                .Cast<DayOfWeek?>().FirstOrDefault();
            if (day is null || days.Contains(day.Value))
                return null;
            days.Add(day.Value);
        }
        if (!TimeOnly.TryParseExact(wanted.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(wanted.End, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || start == end)
        {
            return null;
        }
        return new MaintenanceWindow(days, start, end, wanted.TimeZone!);
    }

    private static string NewRolloutId() => "r-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static JsonElement ToJson(RolloutDefinition rollout)
    {
        using var document = JsonDocument.Parse(RolloutJson.Write(rollout));
        return document.RootElement.Clone();
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,39}\z")]
    private static partial Regex RolloutIdPattern();
}
