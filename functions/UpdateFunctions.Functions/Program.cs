using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using UpdateFunctions.Functions.Hosting;
using UpdateFunctions.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddUpdatePipeline(builder.Configuration);
builder.Services.AddTelemetryPipeline(builder.Configuration);
await builder.Build().RunAsync();
