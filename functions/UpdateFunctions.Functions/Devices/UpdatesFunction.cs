using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Functions.Devices;

/// <summary><c>POST /api/updates</c>: the plugin's <c>updateUrl</c>.</summary>
public sealed class UpdatesFunction(UpdateCheckHandler handler, IOptions<DeviceApiOptions> options)
{
    [Function(nameof(UpdatesFunction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "updates")] HttpRequest request,
        CancellationToken cancellationToken) =>
        DeviceHttp.WithBodyAsync(request, options.Value.MaxBodyBytes, handler.HandleAsync, cancellationToken);
}
