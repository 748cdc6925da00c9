using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/channels/{channel}</c>: change, repoint and delete a channel.</summary>
public sealed class ChannelChangeFunctions(ManagementHttp http, ChannelService service)
{
    [Function(nameof(PatchChannel))]
    [ManagementOperation(ApiRole.Write, "Change any channel switch.", Request = typeof(ChannelRequest), Response = typeof(ChannelDto))]
    public Task<IActionResult> PatchChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(PatchChannel), ManagementJsonContext.Default.ChannelRequest,
            (call, body, _, ct) => service.PatchChannelAsync(call.Caller, call.Route("app"), call.Route("channel"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(SetChannelBundle))]
    [ManagementOperation(ApiRole.Write, "Point the channel at a bundle version or 'builtin' (also the one-call rollback).", Request = typeof(SetChannelBundleRequest), Response = typeof(ChannelDto))]
    public Task<IActionResult> SetChannelBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.ChannelBundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(SetChannelBundle), ManagementJsonContext.Default.SetChannelBundleRequest,
            (call, body, _, ct) => service.SetChannelBundleAsync(call.Caller, call.Route("app"), call.Route("channel"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteChannel))]
    [ManagementOperation(ApiRole.Write, "Delete a channel; 409 while it is the default or a device override names it.", Status = 204)]
    public Task<IActionResult> DeleteChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteChannel),
            (call, ct) => service.DeleteChannelAsync(call.Caller, call.Route("app"), call.Route("channel"), call.IfMatch, ct), cancellationToken);
}
