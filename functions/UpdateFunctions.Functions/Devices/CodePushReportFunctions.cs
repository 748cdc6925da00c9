using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Functions.Devices;

/// <summary>CodePush status reports (deploy, download), both spellings; they feed the telemetry pipeline.</summary>
public sealed class CodePushReportFunctions(CodePushHandler handler, IOptions<DeviceApiOptions> options)
{
    [Function("CodePushReportDeploy")]
    public Task<IActionResult> ReportDeploy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CodePushRoutes.Prefix + "report_status/deploy")] HttpRequest request,
        CancellationToken cancellationToken) => Deploy(request, cancellationToken);

    [Function("CodePushReportDeployLegacy")]
    public Task<IActionResult> ReportDeployLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reportStatus/deploy")] HttpRequest request,
        CancellationToken cancellationToken) => Deploy(request, cancellationToken);

    [Function("CodePushReportDownload")]
    public Task<IActionResult> ReportDownload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CodePushRoutes.Prefix + "report_status/download")] HttpRequest request,
        CancellationToken cancellationToken) => Download(request, cancellationToken);

    [Function("CodePushReportDownloadLegacy")]
    public Task<IActionResult> ReportDownloadLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reportStatus/download")] HttpRequest request,
        CancellationToken cancellationToken) => Download(request, cancellationToken);

    private Task<IActionResult> Deploy(HttpRequest request, CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDeployAsync, cancellationToken);

    private Task<IActionResult> Download(HttpRequest request, CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.ReportDownloadAsync, cancellationToken);
}
