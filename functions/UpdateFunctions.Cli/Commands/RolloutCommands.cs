using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using UpdateFunctions.Cli.Api;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Cli.Commands;

/// <summary>
/// <c>rollout create|list|status|start|pause|resume|advance|halt|rollback|complete|set-percentage|delete</c>:
/// staged rollouts, and a status view that says why the timer advanced, held or halted.
/// </summary>
public static class RolloutCommands
{
    private static readonly string[] Actions = ["start", "pause", "resume", "advance", "halt", "rollback", "complete"];

    private static readonly Dictionary<string, string> ActionHelp = new(StringComparer.Ordinal)
    {
        ["start"] = "Start a draft at its first step",
        ["pause"] = "Stop widening (devices keep what they have; a breached gate still halts it)",
        ["resume"] = "Let the timer widen a paused rollout again",
        ["advance"] = "Go to the next step now, whatever the gates say",
        ["halt"] = "Stop: every device of the channel gets the baseline",
        ["rollback"] = "Halt (if needed) and mark rolled back: everyone on the baseline until a new rollout",
        ["complete"] = "Finish now: the whole cohort gets the target",
    };

    public static Command Build(CliApp app)
    {
        var command = new Command("rollout", "Roll a bundle out in steps that the timer widens while every segment stays healthy");
        command.Add(Create(app));
        command.Add(List(app));
        command.Add(Status(app));
        foreach (var action in Actions)
            command.Add(Act(app, action));
        command.Add(SetPercentage(app));
        command.Add(Delete(app));
        return command;
    }

    private static Argument<string> IdArgument() =>
        new Argument<string>("id") { Description = "Rollout id (as create printed it)" }
            .Must(RolloutService.IsValidRolloutId, "a rollout id (lower-case letters, digits, '-')");

    private static string RolloutsPath(string app) => $"api/v1/apps/{ManagementClient.Segment(app)}/rollouts";

    private static Command Create(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelOption("Channel to roll out on (its bundle is the baseline)");
        channel.Required = true;
        var target = new Option<string?>("--target") { Description = "Bundle version to roll out", Required = true }.Must(BundleVersion.IsValid, Rules.Version);
        var segments = new Option<string?>("--segments") { Description = "Comma list of segments the rollout is for (default: every device of the channel)" };
        var steps = new Option<string?>("--steps") { Description = "Comma list of percentages ending at 100 (default 1,5,25,50,100)" };
        var minStep = new Option<string?>("--min-step") { Description = "How long each step holds at least: 1h, 30m, 1h30m (default 1h)" };
        var minSamples = new Option<long?>("--min-samples") { Description = "Update attempts each segment needs before it is judged (default 50)" };
        var maxFailure = new Option<string?>("--max-failure-rate") { Description = "Failure rate that halts: 5% or 0.05 (default 5%)" };
        var noCompare = new Option<bool>("--no-baseline-compare") { Description = "Do not hold when the target fails significantly more than the baseline" };
        var windows = new Option<string[]>("--window")
        {
            Description = "Maintenance window of a segment ('all' without segments): \"enterprise sat,sun 01:00-05:00 Europe/Paris\" (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var start = new Option<bool>("--start") { Description = "Start at once instead of leaving a draft" };
        var id = new Option<string?>("--id") { Description = "Choose the id (default: random r-xxxxxxxx)" }
            .Must(v => v is null || RolloutService.IsValidRolloutId(v), "a rollout id (lower-case letters, digits, '-')");
        var create = new Command("create", "Create a rollout (a draft unless --start)")
        {
            appId, channel, target, segments, steps, minStep, minSamples, maxFailure, noCompare, windows, start, id,
        };
        app.Run(create, async (context, cancellationToken) =>
        {
            var segmentNames = SplitList(context.Value(segments));
            if (segmentNames?.FirstOrDefault(s => !SegmentDefinition.IsValidName(s)) is { } bad)
                throw CliException.Usage($"--segments: '{bad}' is not a segment name.");
            List<int>? parsedSteps = null;
            if (SplitList(context.Value(steps)) is { } stepTexts)
            {
                parsedSteps = [.. stepTexts.Select(s => int.TryParse(s.TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1)];
                if (!RolloutDefinition.AreValidSteps(parsedSteps))
                    throw CliException.Usage("--steps: 1-20 strictly increasing percentages from 1 to 100, ending at 100, e.g. 1,5,25,50,100.");
            }
            if (context.Value(minStep) is { } duration && !DurationText.TryParse(duration, out _))
                throw CliException.Usage($"--min-step: '{duration}' is not a duration (1h, 30m, 1h30m, PT1H).");
            var gates = new RolloutGatesRequest(
                context.Value(minStep),
                context.Value(minSamples),
                context.Value(maxFailure) is { } rateText ? ParseRate(rateText) : null,
                context.Value(noCompare) ? false : null);
            Dictionary<string, MaintenanceWindowRequest>? parsedWindows = null;
            if (context.Value(windows) is { Length: > 0 } windowTexts)
            {
                parsedWindows = [];
                foreach (var text in windowTexts)
                {
                    var (segment, window) = ParseWindow(text);
                    parsedWindows[segment] = window;
                }
            }
            // Members left null are not sent: the server's defaults (docs/rollouts.md) apply.
            var body = new CreateRolloutRequest(
                context.Value(channel), context.Value(target), segmentNames, parsedSteps,
                gates == new RolloutGatesRequest() ? null : gates, parsedWindows,
                context.Value(start) ? true : null, context.Value(id));

            var api = await context.ConnectAsync(cancellationToken);
            var (_, reply) = await api.SendRawAsync(HttpMethod.Post, RolloutsPath(context.Value(appId)),
                ManagementClient.Json(body, CliJson.Default.CreateRolloutRequest), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(reply);
                return ExitCodes.Ok;
            }
            var rollout = JsonNode.Parse(reply)!;
            context.Note($"Created rollout {rollout["id"]} on channel {rollout["channel"]}: {rollout["baselineBundle"]} → {rollout["targetBundle"]} ({rollout["state"]})");
            return ExitCodes.Ok;
        });
        return create;
    }

    private static Command List(CliApp app)
    {
        var appId = Rules.AppArgument();
        var channel = Rules.ChannelOption("Only this channel's rollouts");
        var state = new Option<string?>("--state") { Description = "Only rollouts in this state" };
        state.AcceptOnlyFromAmong("draft", "running", "paused", "completed", "halted", "rolled_back");
        var list = new Command("list", "List an app's rollouts, newest first") { appId, channel, state };
        app.Run(list, async (context, cancellationToken) =>
        {
            var query = new List<string>();
            if (context.Value(channel) is { } c)
                query.Add("channel=" + Uri.EscapeDataString(c));
            if (context.Value(state) is { } s)
                query.Add("state=" + s);
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Get,
                RolloutsPath(context.Value(appId)) + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(body);
                return ExitCodes.Ok;
            }
            context.WriteTable(["id", "channel", "state", "percent", "baseline → target", "segments", "created"],
                JsonNode.Parse(body)!.AsArray().Select(r => new[]
                {
                    r!["id"]!.GetValue<string>(), r["channel"]!.GetValue<string>(), r["state"]!.GetValue<string>(),
                    r["percent"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture) + "%",
                    $"{r["baselineBundle"]} → {r["targetBundle"]}",
                    Segments(r), Formats.Date(r["createdAt"]!.GetValue<DateTimeOffset>()),
                }));
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Status(CliApp app)
    {
        var appId = Rules.AppArgument();
        var id = IdArgument();
        var watch = new Option<int?>("--watch") { Description = "Print the status again every N seconds until the rollout ends (Ctrl+C stops)" };
        watch.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 or > 3600) r.AddError("--watch: 1 to 3600 seconds."); });
        var history = new Option<int>("--history") { Description = "How many of the latest decisions to show", DefaultValueFactory = _ => 10 };
        var status = new Command("status", "Show a rollout: steps, current percentage, each segment's health, what the timer would do now and why it did what it did")
        {
            appId, id, watch, history,
        };
        app.Run(status, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var path = $"{RolloutsPath(context.Value(appId))}/{context.Value(id)}";
            while (true)
            {
                var (_, body) = await api.SendRawAsync(HttpMethod.Get, path, null, cancellationToken);
                var rollout = JsonNode.Parse(body)!;
                if (context.Json)
                    context.WriteJson(body);
                else
                    WriteStatus(context, rollout, Math.Max(0, context.Value(history)));
                var ended = rollout["state"]!.GetValue<string>() is "completed" or "halted" or "rolled_back";
                if (context.Value(watch) is not { } seconds || ended)
                    return ExitCodes.Ok;
                await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            }
        });
        return status;
    }

    private static Command Act(CliApp app, string action)
    {
        var appId = Rules.AppArgument();
        var id = IdArgument();
        var command = new Command(action, ActionHelp[action]) { appId, id };
        app.Run(command, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Post, $"{RolloutsPath(context.Value(appId))}/{context.Value(id)}/{action}", null, cancellationToken);
            WriteChanged(context, body);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetPercentage(CliApp app)
    {
        var appId = Rules.AppArgument();
        var id = IdArgument();
        var percent = new Argument<int>("percent") { Description = "1 to 100" };
        percent.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("percent: 1 to 100."); });
        var command = new Command("set-percentage", "Set a running or paused rollout's percentage by hand (the step clock restarts)") { appId, id, percent };
        app.Run(command, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            var (_, body) = await api.SendRawAsync(HttpMethod.Put, $"{RolloutsPath(context.Value(appId))}/{context.Value(id)}/percentage",
                ManagementClient.Json(new SetRolloutPercentageRequest(context.Value(percent)), CliJson.Default.SetRolloutPercentageRequest), cancellationToken);
            WriteChanged(context, body);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliApp app)
    {
        var appId = Rules.AppArgument();
        var id = IdArgument();
        var delete = new Command("delete", "Delete a draft rollout") { appId, id };
        app.Run(delete, async (context, cancellationToken) =>
        {
            var api = await context.ConnectAsync(cancellationToken);
            await api.DeleteAsync($"{RolloutsPath(context.Value(appId))}/{context.Value(id)}", cancellationToken);
            context.Note($"Deleted rollout {context.Value(id)}");
            return ExitCodes.Ok;
        });
        return delete;
    }

    private static void WriteChanged(CliContext context, string body)
    {
        if (context.Json)
        {
            context.WriteJson(body);
            return;
        }
        var rollout = JsonNode.Parse(body)!;
        context.Note($"Rollout {rollout["id"]}: {rollout["state"]} at {rollout["percent"]}% ({rollout["baselineBundle"]} → {rollout["targetBundle"]})");
    }

    /// <summary>The human status view.</summary>
    internal static void WriteStatus(CliContext context, JsonNode rollout, int historyCount)
    {
        var percent = rollout["percent"]!.GetValue<int>();
        var steps = rollout["steps"]!.AsArray().Select(s => s!.GetValue<int>()).ToList();
        var stepIndex = rollout["stepIndex"]!.GetValue<int>();
        var gates = rollout["gates"]!;
        var status = rollout["status"];
        context.WriteFields(
            ("rollout", rollout["id"]!.GetValue<string>()),
            ("channel", rollout["channel"]!.GetValue<string>()),
            ("state", rollout["state"]!.GetValue<string>()),
            ("bundles", $"{rollout["baselineBundle"]} (baseline) → {rollout["targetBundle"]} (target)"),
            ("cohort", Segments(rollout)),
            ("steps", string.Join(" → ", steps.Select((s, i) => i == stepIndex ? $"[{s}%]" : $"{s}%")) + $"   now {percent}%"),
            ("gates", Gates(gates)),
            ("windows", Windows(rollout)),
            ("step started", Formats.Date(rollout["stepStartedAt"]?.GetValue<DateTimeOffset>())),
            ("next step at", Formats.Date(status?["earliestNextStep"]?.GetValue<DateTimeOffset>())),
            ("timer now", status?["preview"] is { } preview ? $"{preview["kind"]} ({preview["reason"]}): {preview["detail"]}" : null));

        if (status?["health"]?.AsArray() is { Count: > 0 } health)
        {
            context.WriteTable(["segment", "target attempts", "target failures", "target rate", "baseline attempts", "baseline rate", "z", "check fails (not judged)", "verdict"],
                health.Select(h => new[]
                {
                    h!["segment"]!.GetValue<string>(),
                    h["targetAttempts"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture),
                    h["targetFailures"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture),
                    Rate(h["targetFailureRate"]),
                    h["baselineAttempts"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture),
                    Rate(h["baselineFailureRate"]),
                    h["zScore"] is { } z ? z.GetValue<double>().ToString("F2", CultureInfo.InvariantCulture) : "–",
                    $"{Count(h["targetCheckFailures"])} / {Count(h["baselineCheckFailures"])}",
                    Verdict(h),
                }));
        }

        var decisions = rollout["history"]!.AsArray().TakeLast(historyCount).ToList();
        if (decisions.Count > 0)
        {
            context.WriteTable(["at", "decision", "reason", "percent", "by", "detail"],
                decisions.Select(d => new[]
                {
                    Formats.Date(d!["at"]!.GetValue<DateTimeOffset>()),
                    d["kind"]!.GetValue<string>() + (d["repeated"]?.GetValue<int>() is > 1 and var n ? $" ×{n}" : ""),
                    d["reason"]!.GetValue<string>(),
                    $"{d["fromPercent"]}% → {d["toPercent"]}%",
                    d["by"]?.GetValue<string>(),
                    d["detail"]!.GetValue<string>(),
                }));
        }
    }

    /// <summary>The outcome code, and for a segment below its minimum "waiting for samples (n/min)".</summary>
    private static string Verdict(JsonNode health)
    {
        var outcome = health["outcome"]!.GetValue<string>();
        return outcome == RolloutReasons.InsufficientSamples && health["minSamples"]?.GetValue<long>() is > 0 and var min
            ? $"waiting for samples ({health["targetAttempts"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture)}/{min.ToString(CultureInfo.InvariantCulture)})"
            : outcome;
    }

    private static string Count(JsonNode? value) => (value?.GetValue<long>() ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string Gates(JsonNode gates)
    {
        var minStep = TimeSpan.Parse(gates["minStepDuration"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var rate = Percent(gates["maxFailureRate"]!.GetValue<double>());
        var compare = gates["compareWithBaseline"]?.GetValue<bool>() == false ? "" : ", hold while worse than baseline (z > 1.645)";
        return $"hold ≥ {DurationText.Format(minStep)}, ≥ {gates["minSamples"]} attempts per segment, halt over {rate}{compare}";
    }

    private static string Segments(JsonNode rollout) =>
        rollout["segments"]!.AsArray() is { Count: > 0 } segments ? string.Join(", ", segments.Select(s => s!.GetValue<string>())) : "every device of the channel";

    private static string Windows(JsonNode rollout)
    {
        var windows = rollout["windows"]?.AsObject();
        if (windows is null || windows.Count == 0)
            return "none (the timer may widen at any time)";
        return string.Join("; ", windows.Select(w =>
            $"{w.Key}: {string.Join(",", w.Value!["days"]!.AsArray().Select(d => d!.GetValue<string>()[..3].ToLowerInvariant()))} " +
            $"{w.Value["start"]!.GetValue<string>()[..5]}-{w.Value["end"]!.GetValue<string>()[..5]} {w.Value["timeZoneId"]}"));
    }

    private static string Rate(JsonNode? rate) => rate is null ? "–" : Percent(rate.GetValue<double>());

    private static string Percent(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static List<string>? SplitList(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary><c>5%</c> or <c>0.05</c>.</summary>
    internal static double ParseRate(string text)
    {
        var percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw CliException.Usage($"--max-failure-rate: '{text}' is not a rate (5% or 0.05).");
        var rate = percent ? value / 100 : value;
        if (rate is < 0 or > 1 || !double.IsFinite(rate))
            throw CliException.Usage($"--max-failure-rate: '{text}' is not between 0 and 100%.");
        return rate;
    }

    /// <summary><c>"enterprise sat,sun 01:00-05:00 Europe/Paris"</c> → (segment, the API's window).</summary>
    internal static (string Segment, MaintenanceWindowRequest Window) ParseWindow(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var times = parts.Length == 4 ? parts[2].Split('-') : [];
        if (parts.Length != 4 || times.Length != 2)
            throw CliException.Usage($"--window: '{text}' is not \"SEGMENT DAYS HH:mm-HH:mm TIMEZONE\", e.g. \"enterprise sat,sun 01:00-05:00 Europe/Paris\".");
        if (!MaintenanceWindow.IsKnownTimeZone(parts[3]))
            throw CliException.Usage($"--window: '{parts[3]}' is not a time zone this machine knows (IANA ids such as Europe/Paris or UTC).");
        return (parts[0], new MaintenanceWindowRequest([.. parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries)], times[0], times[1], parts[3]));
    }
}
