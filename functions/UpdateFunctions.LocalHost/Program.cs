using UpdateFunctions.Functions.Hosting;
using UpdateFunctions.LocalHost.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLocalHostDefaults();
builder.Services.AddUpdatePipeline(builder.Configuration);

var app = builder.Build();
app.MapLocalHost();
await app.SeedIfRequestedAsync(app.Lifetime.ApplicationStopping);
await app.RunAsync();
