using System.CommandLine;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Cli.Commands;

/// <summary><c>audit</c>: who changed what, newest first.</summary>
public static class AuditCommand
{
    public static Command Build(CliApp app)
    {
        var appId = new Option<string?>("--app") { Description = "Only this app's entries" }.Must(DeviceInfoReader.IsValidAppId, Rules.AppId);
        var top = new Option<int>("--top") { Description = "How many entries (1-1000)", DefaultValueFactory = _ => 50 };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
                result.AddError("--top must be between 1 and 1000.");
        });
        var audit = new Command("audit", "Show the audit log: who (key id) did what, when, newest first") { appId, top };
        app.Run(audit, async (context, cancellationToken) =>
        {
            var query = $"top={context.Value(top)}";
            if (context.Value(appId) is { } id)
                query = $"app={Uri.EscapeDataString(id)}&{query}";
            var api = await context.ConnectAsync(cancellationToken);
            var entries = await api.GetAsync($"api/v1/audit?{query}", CliJson.Default.AuditDtoArray, cancellationToken);
            if (context.Json)
                context.WriteJson(entries.Body);
            else
                context.WriteTable(["at", "key", "action", "app", "resource"],
                    entries.Value.Select(e => new[] { Formats.Date(e.At), e.KeyId, e.Action, e.App, e.Resource }));
            return ExitCodes.Ok;
        });
        return audit;
    }
}
