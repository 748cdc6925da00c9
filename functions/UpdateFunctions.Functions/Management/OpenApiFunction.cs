using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace UpdateFunctions.Functions.Management;

/// <summary><c>GET /api/v1/openapi.json</c>: the only anonymous management call.</summary>
public sealed class OpenApiFunction
{
    [Function(nameof(GetOpenApi))]
    [ManagementOperation("This document.")]
    public Task<IActionResult> GetOpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ManagementRoutes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        Task.FromResult<IActionResult>(new ManagementJsonResult(200, OpenApiDocument.Bytes.ToArray(), null, null));
}
