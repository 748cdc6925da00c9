using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/channels</c>.</summary>
public sealed class ChannelFunctions(ManagementHttp http, ManagementService service)
{
    private static readonly ManagementJsonContext Json = ManagementJsonContext.Default;

    [Function(nameof(CreateChannel))]
    public Task<IActionResult> CreateChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Channels)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.CreateChannel, Json.ChannelRequest,
            (call, body, _, ct) => service.CreateChannelAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListChannels))]
    public Task<IActionResult> ListChannels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Channels)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.ListChannels, (call, ct) => service.ListChannelsAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetChannel))]
    public Task<IActionResult> GetChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetChannel, (call, ct) => service.GetChannelAsync(call.Route("app"), call.Route("channel"), ct), cancellationToken);

    [Function(nameof(PatchChannel))]
    public Task<IActionResult> PatchChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.PatchChannel, Json.ChannelRequest,
            (call, body, _, ct) => service.PatchChannelAsync(call.Caller, call.Route("app"), call.Route("channel"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(SetChannelBundle))]
    public Task<IActionResult> SetChannelBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.ChannelBundle)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.SetChannelBundle, Json.SetChannelBundleRequest,
            (call, body, _, ct) => service.SetChannelBundleAsync(call.Caller, call.Route("app"), call.Route("channel"), body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteChannel))]
    public Task<IActionResult> DeleteChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteChannel,
            (call, ct) => service.DeleteChannelAsync(call.Caller, call.Route("app"), call.Route("channel"), call.IfMatch, ct), cancellationToken);
}
