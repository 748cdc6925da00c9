using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Functions.Devices;

/// <summary>
/// The CodePush acquisition protocol, for React Native apps (docs/codepush.md): the routes <c>code-push</c> 3.x/4.x
/// calls under <c>v0.1/public/codepush/</c> and the camelCase ones of 2.x, under the host's
/// <c>api</c> prefix like every function: an app's <c>CodePushServerURL</c> is <c>https://host/api</c>.
/// </summary>
public sealed class CodePushFunctions(CodePushHandler handler, IOptions<DeviceApiOptions> options)
{
    private const string Prefix = "v0.1/public/codepush/";

    [Function("CodePushUpdateCheck")]
    public async Task<IActionResult> UpdateCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + "update_check")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new DeviceResult(await handler.CheckAsync(DeviceHttp.QueryOf(request), QueryLength(request), CodePushDialect.SnakeCase, cancellationToken));

    [Function("CodePushUpdateCheckLegacy")]
    public async Task<IActionResult> UpdateCheckLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "updateCheck")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new DeviceResult(await handler.CheckAsync(DeviceHttp.QueryOf(request), QueryLength(request), CodePushDialect.Legacy, cancellationToken));

    [Function("CodePushReportDeploy")]
    public Task<IActionResult> ReportDeploy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + "report_status/deploy")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDeployAsync, cancellationToken);

    [Function("CodePushReportDeployLegacy")]
    public Task<IActionResult> ReportDeployLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reportStatus/deploy")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDeployAsync, cancellationToken);

    [Function("CodePushReportDownload")]
    public Task<IActionResult> ReportDownload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + "report_status/download")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDownloadAsync, cancellationToken);

    [Function("CodePushReportDownloadLegacy")]
    public Task<IActionResult> ReportDownloadLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reportStatus/download")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDownloadAsync, cancellationToken);

    private static int QueryLength(HttpRequest request) => request.QueryString.Value?.Length ?? 0;
}
