using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/channels</c>: create, list and read channels.</summary>
public sealed class ChannelFunctions(ManagementHttp http, ChannelService service)
{
    [Function(nameof(CreateChannel))]
    [ManagementOperation(ApiRole.Write, "Create a channel; switches not given take the defaults of docs/seed-format.md.", Status = 201, Request = typeof(ChannelRequest), Response = typeof(ChannelDto))]
    public Task<IActionResult> CreateChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ManagementRoutes.Channels)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(CreateChannel), ManagementJsonContext.Default.ChannelRequest,
            (call, body, _, ct) => service.CreateChannelAsync(call.Caller, call.Route("app"), body, ct), cancellationToken);

    [Function(nameof(ListChannels))]
    [ManagementOperation(ApiRole.Read, "The app's channels, ordered by id.", Response = typeof(List<ChannelDto>))]
    public Task<IActionResult> ListChannels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Channels)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(ListChannels), (call, ct) => service.ListChannelsAsync(call.Route("app"), ct), cancellationToken);

    [Function(nameof(GetChannel))]
    [ManagementOperation(ApiRole.Read, "One channel, with its ETag.", Response = typeof(ChannelDto))]
    public Task<IActionResult> GetChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Channel)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetChannel), (call, ct) => service.GetChannelAsync(call.Route("app"), call.Route("channel"), ct), cancellationToken);
}
