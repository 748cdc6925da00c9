using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/devices/{deviceId}</c>: admin overrides and the effective channel.</summary>
public sealed class DeviceFunctions(ManagementHttp http, ManagementService service)
{
    [Function(nameof(PutDevice))]
    public Task<IActionResult> PutDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.PutDevice, ManagementJsonContext.Default.PutDeviceRequest,
            (call, body, _, ct) => service.PutDeviceAsync(call.Caller, call.Route("app"), call.DeviceId, body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteDevice))]
    public Task<IActionResult> DeleteDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.DeleteDevice,
            (call, ct) => service.DeleteDeviceAsync(call.Caller, call.Route("app"), call.DeviceId, call.IfMatch, ct), cancellationToken);

    [Function(nameof(GetDevice))]
    public Task<IActionResult> GetDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, ManagementRoutes.GetDevice,
            (call, ct) => service.GetDeviceAsync(call.Route("app"), call.DeviceId, call.Query("platform"), call.Query("defaultChannel"), ct), cancellationToken);
}
