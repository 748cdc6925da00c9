using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Output;

/// <summary>Prints a run as it goes: what it will do, a line per round, and the summary.</summary>
public interface IReportWriter
{
    Task StartAsync(SimulationStart start, CancellationToken cancellationToken);

    Task RoundAsync(RoundSummary round, CancellationToken cancellationToken);

    Task SummaryAsync(SimulationSummary summary, CancellationToken cancellationToken);
}

/// <summary>For people: one line per round, the version distribution at the end of it.</summary>
public sealed class TextReportWriter(TextWriter output) : IReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public async Task StartAsync(SimulationStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var lines = new StringBuilder()
            .AppendLine(Invariant, $"Simulating {start.Devices} devices of {start.AppId} against {start.Url} (seed {start.Seed}; --seed {start.Seed} gives the same devices)")
            .AppendLine(Invariant, $"  platforms {Counts(start.Platforms)} · native {Counts(start.VersionBuilds)} · channel {Counts(start.Channels)} · custom_id {Counts(start.CustomIds)}")
            .AppendLine(Invariant, $"  {Schedule(start)}, {start.Concurrency} at a time; downloads: {start.Download}; failures: {start.Failures}");
        await output.WriteAsync(lines.ToString().AsMemory(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public async Task RoundAsync(RoundSummary round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        var line = new StringBuilder()
            .Append(Invariant, $"round {round.Round,-3} {round.StartedAt.ToLocalTime():HH:mm:ss}  ")
            .Append(Invariant, $"checks {round.Checks}  offered {round.Offered}  installed {round.Installed}  failed {round.Failed}  ")
            .Append(Invariant, $"up-to-date {round.UpToDate}  refused {round.Refused}  429 {round.RateLimited}  errors {round.Errors}");
        if (round.Deferred > 0)
            line.Append(Invariant, $"  waiting {round.Deferred}");
        line.Append("  | ").AppendLine(Counts(round.Versions));
        if (round.Refusals.Count > 0)
            line.Append("    refused: ").AppendLine(Counts(round.Refusals));
        if (round.ErrorReasons.Count > 0)
            line.Append("    errors: ").AppendLine(Counts(round.ErrorReasons));
        await output.WriteAsync(line.ToString().AsMemory(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public async Task SummaryAsync(SimulationSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new StringBuilder()
            .AppendLine(Invariant, $"{(summary.Completed ? "done" : "stopped")}: {summary.Rounds} round(s) in {summary.Seconds:0.0} s, {summary.Devices} devices, seed {summary.Seed}")
            .AppendLine(Invariant, $"  checks {summary.Checks}  offered {summary.Offered}  installed {summary.Installed}  failed {summary.Failed}  up-to-date {summary.UpToDate}  refused {summary.Refused}  429 {summary.RateLimited}  errors {summary.Errors}");
        foreach (var (bundle, tally) in summary.Bundles)
        {
            text.Append(Invariant, $"  bundle {bundle}: offered {tally.Offered}, attempts {tally.Attempts}, installed {tally.Installed}, failed {tally.Failed}");
            if (tally.Attempts > 0)
                text.Append(Invariant, $" ({(double)tally.Failed / tally.Attempts:P1} of attempts)");
            if (tally.CheckFailed > 0)
                text.Append(Invariant, $", check failures {tally.CheckFailed}");
            text.AppendLine();
        }
        text.AppendLine(Invariant, $"  devices now on: {Counts(summary.Versions)}")
            .AppendLine(Invariant, $"  stats events: {summary.Stats.Accepted} accepted, {summary.Stats.Rejected} rejected, {summary.Stats.Dropped} dropped, {summary.PendingStats} still queued");
        if (summary.Refusals.Count > 0)
            text.AppendLine(Invariant, $"  refused: {Counts(summary.Refusals)}");
        if (summary.ErrorReasons.Count > 0)
            text.AppendLine(Invariant, $"  errors: {Counts(summary.ErrorReasons)}");
        await output.WriteAsync(text.ToString().AsMemory(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "–" : string.Join(", ", counts.Select(c => string.Create(Invariant, $"{c.Key} {c.Value}")));

    private static string Schedule(SimulationStart start)
    {
        var rounds = start.Rounds is { } count ? string.Create(Invariant, $"{count} round(s)") : "rounds";
        var duration = start.DurationSeconds is { } seconds ? string.Create(Invariant, $" for up to {TimeSpan.FromSeconds(seconds)}") : "";
        return string.Create(Invariant, $"{rounds}{duration}, {start.IntervalSeconds:0.###} s apart");
    }
}

/// <summary>For scripts: one JSON object per line, <c>type</c> = <c>start</c>, <c>round</c> or <c>summary</c>.</summary>
public sealed class JsonReportWriter(TextWriter output) : IReportWriter
{
    public Task StartAsync(SimulationStart start, CancellationToken cancellationToken) =>
        WriteAsync(JsonSerializer.Serialize(start, ReportJsonContext.Default.SimulationStart), cancellationToken);

    public Task RoundAsync(RoundSummary round, CancellationToken cancellationToken) =>
        WriteAsync(JsonSerializer.Serialize(round, ReportJsonContext.Default.RoundSummary), cancellationToken);

    public Task SummaryAsync(SimulationSummary summary, CancellationToken cancellationToken) =>
        WriteAsync(JsonSerializer.Serialize(summary, ReportJsonContext.Default.SimulationSummary), cancellationToken);

    private async Task WriteAsync(string line, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(line.AsMemory(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SimulationStart))]
[JsonSerializable(typeof(RoundSummary))]
[JsonSerializable(typeof(SimulationSummary))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
