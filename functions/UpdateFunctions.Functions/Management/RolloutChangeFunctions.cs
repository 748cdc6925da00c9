using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/rollouts/{rollout}</c>: the state machine by hand, and deleting a draft.</summary>
public sealed class RolloutChangeFunctions(ManagementHttp http, RolloutService service)
{
    [Function(nameof(ActOnRollout))]
    [ManagementOperation(ApiRole.Write, "action = start | pause | resume | advance | halt | rollback | complete (If-Match honoured); 409 invalid_transition when the state does not allow it.", Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> ActOnRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.RolloutAction)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ActOnRollout), (call, ct) => service.ActOnRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"),
            RolloutTransitions.ParseAction(call.Route("action")), null, call.IfMatch, ct), cancellationToken);

    [Function(nameof(SetRolloutPercentage))]
    [ManagementOperation(ApiRole.Write, "Set a running or paused rollout's percentage by hand (1-100; the step clock restarts).", Request = typeof(SetRolloutPercentageRequest), Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> SetRolloutPercentage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.RolloutPercentage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(SetRolloutPercentage), ManagementJsonContext.Default.SetRolloutPercentageRequest, (call, body, _, ct) =>
            service.ActOnRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"), RolloutAction.SetPercentage, body.Percent, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteRollout))]
    [ManagementOperation(ApiRole.Write, "Delete a draft rollout (one that ran stays as the record of what happened).", Status = 204)]
    public Task<IActionResult> DeleteRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Rollout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteRollout),
            (call, ct) => service.DeleteRolloutAsync(call.Caller, call.Route("app"), call.Route("rollout"), call.IfMatch, ct), cancellationToken);
}
