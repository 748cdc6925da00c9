using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Functions.Devices;

/// <summary>
/// CodePush update checks, for React Native apps (docs/codepush.md): the route code-push 3.x/4.x calls and the
/// camelCase one of 2.x, under the host's <c>api</c> prefix like every function (<c>CodePushServerURL</c> = <c>https://host/api</c>).
/// </summary>
public sealed class CodePushUpdateCheckFunctions(CodePushHandler handler)
{
    [Function("CodePushUpdateCheck")]
    public async Task<IActionResult> UpdateCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CodePushRoutes.Prefix + "update_check")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new DeviceResult(await handler.CheckAsync(DeviceHttp.QueryOf(request), QueryLength(request), CodePushDialect.SnakeCase, cancellationToken));

    [Function("CodePushUpdateCheckLegacy")]
    public async Task<IActionResult> UpdateCheckLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "updateCheck")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new DeviceResult(await handler.CheckAsync(DeviceHttp.QueryOf(request), QueryLength(request), CodePushDialect.Legacy, cancellationToken));

    private static int QueryLength(HttpRequest request) => request.QueryString.Value?.Length ?? 0;
}
