using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>/api/v1/apps/{app}/devices/{deviceId}</c>: admin overrides and the effective channel.</summary>
public sealed class DeviceFunctions(ManagementHttp http, DeviceService service)
{
    [Function(nameof(PutDevice))]
    [ManagementOperation(ApiRole.Write, "Set a device's admin channel override and/or bundle pin.", Request = typeof(PutDeviceRequest), Response = typeof(DeviceDto))]
    public Task<IActionResult> PutDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(PutDevice), ManagementJsonContext.Default.PutDeviceRequest,
            (call, body, _, ct) => service.PutDeviceAsync(call.Caller, call.Route("app"), call.DeviceId, body, call.IfMatch, ct), cancellationToken);

    [Function(nameof(DeleteDevice))]
    [ManagementOperation(ApiRole.Write, "Remove a device's override and pin (a self-assignment stays).", Status = 204)]
    public Task<IActionResult> DeleteDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(DeleteDevice),
            (call, ct) => service.DeleteDeviceAsync(call.Caller, call.Route("app"), call.DeviceId, call.IfMatch, ct), cancellationToken);

    [Function(nameof(GetDevice))]
    [ManagementOperation(ApiRole.Read, "A device's record and effective channel, and why (query: platform, defaultChannel).", Response = typeof(DeviceDto))]
    public Task<IActionResult> GetDevice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.Device)] HttpRequest request,
        CancellationToken cancellationToken) =>
        http.RunAsync(request, nameof(GetDevice),
            (call, ct) => service.GetDeviceAsync(call.Route("app"), call.DeviceId, call.Query("platform"), call.Query("defaultChannel"), ct), cancellationToken);
}
