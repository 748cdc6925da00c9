var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
await app.RunAsync();

/// <summary>Entry point, public so in-process tests can start LocalHost with WebApplicationFactory.</summary>
public partial class Program;
