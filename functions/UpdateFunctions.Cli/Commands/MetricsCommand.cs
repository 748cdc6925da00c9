using System.CommandLine;
using System.Globalization;
using System.Text;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Cli.Commands;

/// <summary>
/// <c>metrics</c>: adoption, success rate and activity per group, with a sparkline of each row's trend. Failed update
/// checks (a 429, a 503, no network) are their own column: they are the service's trouble, not the bundle's.
/// </summary>
public static class MetricsCommand
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    public static Command Build(CliApp app)
    {
        var appId = new Argument<string>("app") { Description = "The app id" }.Must(DeviceInfoReader.IsValidAppId, Rules.AppId);
        var from = new Option<string?>("--from") { Description = "Start (ISO 8601 date or time); default 24 hours before --to" };
        var to = new Option<string?>("--to") { Description = "End (ISO 8601); default now" };
        var groupBy = new Option<string?>("--group-by") { Description = "Comma list of channel, platform, bundle, segment" };
        var interval = new Option<string>("--interval") { Description = "hour, day or total", DefaultValueFactory = _ => "hour" };
        interval.AcceptOnlyFromAmong("hour", "day", "total");
        var segment = new Option<string?>("--segment") { Description = "Read one segment's numbers (default: all devices)" };
        var metrics = new Command("metrics", "Show update adoption, success and failure rates and sessions, with a trend per row")
        {
            appId, from, to, groupBy, interval, segment,
        };
        app.Run(metrics, async (context, cancellationToken) =>
        {
            var query = new StringBuilder($"interval={context.Value(interval)}");
            foreach (var (name, value) in new[] { ("from", context.Value(from)), ("to", context.Value(to)), ("groupBy", context.Value(groupBy)), ("segment", context.Value(segment)) })
            {
                if (!string.IsNullOrEmpty(value))
                    query.Append(CultureInfo.InvariantCulture, $"&{name}={Uri.EscapeDataString(value)}");
            }
            var api = await context.ConnectAsync(cancellationToken);
            var report = await api.GetAsync($"api/v1/apps/{Api.ManagementClient.Segment(context.Value(appId))}/metrics?{query}", CliJson.Default.MetricsReport, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(report.Body);
                return ExitCodes.Ok;
            }
            context.WriteTable(
                ["group", "installs", "failures", "success", "check fails", "devices", "adoption", "sessions", "trend (events)"],
                report.Value.Series.Select(s => new[]
                {
                    Group(s),
                    s.Total.Installs.ToString(CultureInfo.InvariantCulture),
                    s.Total.Failures.ToString(CultureInfo.InvariantCulture),
                    Percent(s.Total.SuccessRate),
                    s.Total.CheckFailures.ToString(CultureInfo.InvariantCulture),
                    s.Total.UniqueDevices.ToString(CultureInfo.InvariantCulture),
                    Percent(s.Total.Adoption),
                    s.Total.Sessions.ToString(CultureInfo.InvariantCulture),
                    Sparkline(s.Points.Select(p => p.Events)),
                }));
            return ExitCodes.Ok;
        });
        return metrics;
    }

    /// <summary>One bar per bucket, scaled to the row's own maximum.</summary>
    public static string Sparkline(IEnumerable<long> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
            return "";
        var max = list.Max();
        return max <= 0
            ? new string(Bars[0], list.Count)
            : string.Concat(list.Select(v => Bars[(int)Math.Round((double)v / max * (Bars.Length - 1))]));
    }

    private static string Group(MetricsSeries series)
    {
        var parts = new[] { series.Channel, series.Platform, series.Bundle, series.Segment == MetricKey.AllSegment ? null : series.Segment }
            .Where(p => p is not null)
            .Select(p => p == "" ? "(none)" : p);
        var text = string.Join(" / ", parts);
        return text.Length == 0 ? "all" : text;
    }

    private static string Percent(double? rate) => rate is { } value ? value.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
