using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UpdateFunctions.DeviceSimulator.Wire;

namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>The stats devices send: after each round, and the queue flushed after the last one.</summary>
public sealed partial class DeviceFleet
{
    private async Task<DeviceOutcome> SendStatsAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var batch = device.PendingStats.ToArray();
        HttpResponseMessage response;
        try
        {
            response = await _server.PostAsync(_statsUri, JsonContent.Create<IReadOnlyList<PluginCall>>(batch, PluginJsonContext.Default.IReadOnlyListPluginCall), cancellationToken);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            return Unreached(ex) with { Check = CheckResult.Deferred, Errors = ["stats: " + TransportReason(ex)] };
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            // The plugin retries 408, 429 and 5xx after Retry-After, and drops a batch answered with another 4xx.
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
            {
                device.BlockedUntil = _clock.GetUtcNow() + RetryAfter(response);
                return response.StatusCode == HttpStatusCode.TooManyRequests
                    ? new DeviceOutcome(CheckResult.Deferred) { RateLimitedCalls = 1 }
                    : new DeviceOutcome(CheckResult.Deferred) { Errors = [$"stats: {status} {ErrorCode(body)}"] };
            }
            device.PendingStats.RemoveRange(0, batch.Length);
            if (status != 200)
            {
                return new DeviceOutcome(CheckResult.Deferred)
                {
                    Stats = new StatsTally(0, 0, batch.Length),
                    Errors = [$"stats: {status} {ErrorCode(body)} (batch dropped)"],
                };
            }

            StatsAnswer? answer;
            try
            {
                answer = JsonSerializer.Deserialize(body, PluginJsonContext.Default.StatsAnswer);
            }
            catch (JsonException)
            {
                answer = null;
            }
            if (answer?.Error is { } error)
                return new DeviceOutcome(CheckResult.Deferred) { Stats = new StatsTally(0, 0, batch.Length), Errors = [$"stats: 200 {error} (batch dropped)"] };
            var rejected = answer?.Results?.Where(r => r.Status != "ok").ToList() ?? [];
            return new DeviceOutcome(CheckResult.Deferred)
            {
                Stats = new StatsTally(batch.Length - rejected.Count, rejected.Count, 0),
                Errors = [.. rejected.Select(r => $"stats: event {batch[Math.Clamp(r.Index, 0, batch.Length - 1)].Action} rejected: {r.Error} {r.Message}")],
            };
        }
    }

    /// <summary>After the last round: sends what devices still queue, waiting out their <c>Retry-After</c> (bounded).</summary>
    private async Task<List<DeviceOutcome>> FlushStatsAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<DeviceOutcome>();
        for (var pass = 0; pass < 3; pass++)
        {
            var pending = Devices.Where(d => d.PendingStats.Count > 0).ToList();
            if (pending.Count == 0)
                break;
            var wait = pending.Max(d => d.BlockedUntil) - _clock.GetUtcNow();
            if (wait > _options.MaxFinalFlushWait)
                wait = _options.MaxFinalFlushWait;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _clock, cancellationToken);
            var results = new DeviceOutcome[pending.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, pending.Count), parallel, async (index, token) =>
            {
                // Past the wait cap a device may still be blocked; the plugin would keep waiting, a run ends.
                var device = pending[index];
                device.BlockedUntil = DateTimeOffset.MinValue;
                results[index] = await SendStatsAsync(device, token);
            });
            outcomes.AddRange(results);
        }
        return outcomes;
    }

    private PluginCall Event(SimulatedDevice device, string action, string versionName, string oldVersionName = "") =>
        device.Info(_options.AppId, _options.PluginVersion, _options.IsEmulator, _options.IsProd) with
        {
            VersionName = versionName,
            OldVersionName = oldVersionName,
            Action = action,
            Timestamp = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };

    private static DeviceOutcome Merge(DeviceOutcome check, DeviceOutcome stats) => check with
    {
        Reached = check.Reached || stats.Reached,
        Unreachable = check.Unreachable ?? stats.Unreachable,
        Stats = check.Stats.Add(stats.Stats),
        RateLimitedCalls = check.RateLimitedCalls + stats.RateLimitedCalls,
        Errors = [.. check.Errors, .. stats.Errors],
    };
}
