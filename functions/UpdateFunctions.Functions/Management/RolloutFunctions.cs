using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/rollouts</c>: staged rollouts, their state machine and their status.</summary>
public sealed class RolloutFunctions(ManagementHttp http, ManagementService service)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    [Function(nameof(CreateRollout))]
    public Task<IActionResult> CreateRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Rollouts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateRollout, Json.CreateRolloutRequest,
            (call, body, _, ct) => service.CreateRolloutAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListRollouts))]
    public Task<IActionResult> ListRollouts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Rollouts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListRollouts,
            (call, ct) => service.ListRolloutsAsync(call.Route("app"), call.Query("channel"), call.Query("state"), ct), cancellationToken);

    [Function(nameof(GetRollout))]
    public Task<IActionResult> GetRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Rollout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetRollout, (call, ct) => service.GetRolloutAsync(call.Route("app"), call.Route("rollout"), ct), cancellationToken);

    [Function(nameof(ActOnRollout))]
    public Task<IActionResult> ActOnRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.RolloutAction)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ActOnRollout,
            (call, ct) => service.ActOnRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"),
                RolloutTransitions.ParseAction(call.Route("action")), null, call.IfMatch, ct), cancellationToken);

    [Function(nameof(SetRolloutPercentage))]
    public Task<IActionResult> SetRolloutPercentage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.RolloutPercentage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.SetRolloutPercentage, Json.SetRolloutPercentageRequest,
            (call, body, _, ct) => service.ActOnRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"),
                RolloutAction.SetPercentage, body.Percent, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteRollout))]
    public Task<IActionResult> DeleteRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Rollout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteRollout,
            (call, ct) => service.DeleteRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"), call.IfMatch, ct), cancellationToken);
}
