using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/rollouts</c>: create, list and read staged rollouts (with their status).</summary>
public sealed class RolloutFunctions(ManagementHttp http, RolloutService service)
{
    [Function(nameof(CreateRollout))]
    [ManagementOperation(ApiRole.Write, "Create a staged rollout of a bundle on a channel (a draft, or running with start:true); 409 rollout_active while another draft, running or paused rollout holds the channel. The baseline is the bundle the channel serves.", Status = 201, Request = typeof(CreateRolloutRequest), Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> CreateRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Rollouts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateRollout), ManagementJsonContext.Default.CreateRolloutRequest,
            (call, body, _, ct) => service.CreateRolloutAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListRollouts))]
    [ManagementOperation(ApiRole.Read, "The app's rollouts, newest first (query: channel, state).", Response = typeof(List<System.Text.Json.JsonElement>))]
    public Task<IActionResult> ListRollouts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Rollouts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListRollouts),
            (call, ct) => service.ListRolloutsAsync(call.Route("app"), call.Query("channel"), call.Query("state"), ct), cancellationToken);

    [Function(nameof(GetRollout))]
    [ManagementOperation(ApiRole.Read, "One rollout with its ETag, history (every decision with its numbers) and status: live health of each gated segment and what the timer would decide now.", Response = typeof(System.Text.Json.JsonElement))]
    public Task<IActionResult> GetRollout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Rollout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetRollout), (call, ct) => service.GetRolloutAsync(call.Route("app"), call.Route("rollout"), ct), cancellationToken);
}
