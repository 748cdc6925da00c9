using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Functions.Devices;

/// <summary><c>/api/channel_self</c>: the plugin's <c>channelUrl</c>, one function per HTTP method.</summary>
public sealed class ChannelSelfFunctions(ChannelSelfHandler handler, IOptions<DeviceApiOptions> options)
{
    private const string Route = "channel_self";

    [Function("ChannelSelfSet")]
    public Task<IActionResult> Set(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.SetAsync, cancellationToken);

    [Function("ChannelSelfGet")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.GetAsync, cancellationToken);

    [Function("ChannelSelfUnset")]
    public Task<IActionResult> Unset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes,
            (body, ct) => handler.UnsetAsync(body, DeviceHttp.QueryOf(request), ct), cancellationToken);

    [Function("ChannelSelfList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        new DeviceResult(await handler.ListAsync(DeviceHttp.QueryOf(request), cancellationToken));
}
