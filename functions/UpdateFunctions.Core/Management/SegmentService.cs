using System.Text.Json;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Segments;
using static UpdateFunctions.Core.Management.ManagementRefusals;

namespace UpdateFunctions.Core.Management;

/// <summary>
/// Segments: named device groups in the JSON form of <see cref="SegmentJson"/>, and why a device is (not) in one.
/// </summary>
public sealed class SegmentService(ManagementChanges changes, ICatalogStore catalog)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    public async Task<ManagementResult<List<JsonElement>>> ListSegmentsAsync(string appId, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        return snapshot is null ? AppNotFound(appId) : ManagementResult.Ok(snapshot.Segments.Select(ToJson).ToList());
    }

    public async Task<ManagementResult<JsonElement>> GetSegmentAsync(string appId, string name, CancellationToken cancellationToken)
    {
        var stored = await catalog.GetSegmentAsync(appId, name, cancellationToken);
        return stored is null ? SegmentNotFound(appId, name) : ManagementResult.Ok(ToJson(stored.Value), stored.ETag);
    }

    /// <summary>Creates or replaces a segment (<c>If-Match</c> guards a replace). The body's name, if any, must be the path's.</summary>
    public async Task<ManagementResult<JsonElement>> PutSegmentAsync(
        ManagementCaller caller, string appId, string name, JsonElement body, string? ifMatch, CancellationToken cancellationToken)
    {
        if (body.ValueKind == JsonValueKind.Object && !body.TryGetProperty("name", out _))
        {
            // The name comes from the path when the body leaves it out.
            var withName = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!.AsObject();
            withName["name"] = name;
            using var named = JsonDocument.Parse(withName.ToJsonString());
            body = named.RootElement.Clone();
        }
        if (!SegmentJson.TryRead(body, out var segment, out var error))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, error);
        if (segment.Name != name)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"The body names segment '{segment.Name}', the path '{name}'.");
        if (await catalog.GetAppAsync(appId, cancellationToken) is null)
            return AppNotFound(appId);

        var existing = await catalog.GetSegmentAsync(appId, name, cancellationToken);
        if (ifMatch is not null && (existing is null || existing.ETag != ifMatch))
            return ManagementError.Stale($"Segment '{name}' changed since it was read.");
        string etag;
        try
        {
            etag = await catalog.PutSegmentAsync(appId, segment,
                existing is null ? WriteCondition.Create : WriteCondition.Matching(existing.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Stale($"Segment '{name}' changed while it was being written; read it again.");
        }
        await changes.AuditAsync(caller, existing is null ? "segment.create" : "segment.update", appId, $"apps/{appId}/segments/{name}",
            existing is null ? (JsonElement?)null : ToJson(existing.Value), ToJson(segment), Json.NullableJsonElement, cancellationToken);
        changes.Invalidate(appId);
        return existing is null ? ManagementResult.Created(ToJson(segment), etag) : ManagementResult.Ok(ToJson(segment), etag);
    }

    public async Task<ManagementResult<NoContent>> DeleteSegmentAsync(
        ManagementCaller caller, string appId, string name, string? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await catalog.GetSegmentAsync(appId, name, cancellationToken);
        if (existing is null)
            return SegmentNotFound(appId, name);
        if (ifMatch is not null && existing.ETag != ifMatch)
            return ManagementError.Stale($"Segment '{name}' changed since it was read.");
        // A rollout that is not over, or a segment-limited completion that still governs its channel, needs its cohort
        // (halted and rolled-back rollouts send everyone to the baseline, cohort or not).
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot?.Rollouts.FirstOrDefault(r => r.Segments.Contains(name)
                && (r.IsActive || (r.State == Rollouts.RolloutState.Completed && ReferenceEquals(snapshot.FindRolloutPlan(r.Channel)?.Rollout, r))))
            is { } rollout)
        {
            return ManagementError.Conflict($"Segment '{name}' is the cohort of rollout '{rollout.Id}' ({Rollouts.RolloutTransitions.ToWire(rollout.State)}) on channel '{rollout.Channel}'.");
        }
        try
        {
            await catalog.DeleteSegmentAsync(appId, name, WriteCondition.Matching(existing.ETag), cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return ManagementError.Stale($"Segment '{name}' changed while it was being deleted; read it again.");
        }
        await changes.AuditAsync(caller, "segment.delete", appId, $"apps/{appId}/segments/{name}", (JsonElement?)ToJson(existing.Value), null, Json.NullableJsonElement, cancellationToken);
        changes.Invalidate(appId);
        return NoContent.Result;
    }

    /// <summary>Explains whether the device described by <paramref name="device"/> (the plugin's device info) is in the segment.</summary>
    public async Task<ManagementResult<SegmentMatchDto>> MatchSegmentAsync(string appId, string name, JsonElement device, CancellationToken cancellationToken)
    {
        if (!DeviceInfoReader.TryRead(device, VersionNameRule.Free, out var info, out var error))
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"{error.Code}: {error.Message}");
        if (info.AppId != appId)
            return ManagementError.Invalid(ManagementErrors.InvalidBody, $"The device info is for app '{info.AppId}', the path for '{appId}'.");
        var snapshot = await catalog.LoadSnapshotAsync(appId, cancellationToken);
        if (snapshot is null)
            return AppNotFound(appId);
        var segment = snapshot.Segments.FirstOrDefault(s => s.Name == name);
        if (segment is null)
            return SegmentNotFound(appId, name);
        var channel = new Updates.UpdateDecider().ResolveChannel(snapshot, info).Channel?.Name;
        var explained = segment.Explain(info, channel);
        return ManagementResult.Ok(new SegmentMatchDto(name, segment.Matches(info, channel), channel,
            [.. explained.Select(e => new SegmentConditionResultDto(e.Condition.Describe(), e.Holds))]));
    }

    private static JsonElement ToJson(SegmentDefinition segment)
    {
        using var document = JsonDocument.Parse(SegmentJson.Write(segment));
        return document.RootElement.Clone();
    }
}
