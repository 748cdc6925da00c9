using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;
using UpdateFunctions.LocalHost.Hosting;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Hosting;

/// <summary>Stopping and starting LocalHost on the same storage, as <c>./run.sh</c> does: the key and the changes stay.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly AzuriteFixture _storage = new();
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("updatefunctions-key-").FullName, ".run", "bootstrap-key");

    public Task InitializeAsync() => _storage.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_keyFile))!, recursive: true);
    }

    private WebApplicationFactory<LocalHostEntryPoint> Start(bool reseed = false) =>
        new WebApplicationFactory<LocalHostEntryPoint>().WithWebHostBuilder(builder =>
        {
            _storage.UseIn(builder);
            builder.UseSetting("seed", RepoPaths.DemoSeed);
            builder.UseSetting("LocalHost:BootstrapKeyFile", _keyFile);
            if (reseed)
                builder.UseSetting("reseed", "true");
        });

    private static async Task<string?> ProductionBundleAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/apps/com.demo.app/channels/production");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())?["bundle"]?.GetValue<string>();
    }

    [Fact]
    public async Task A_restart_keeps_the_key_and_what_was_changed_and_reseed_restores_the_seed()
    {
        string key;
        await using (var first = Start())
        {
            using var client = first.CreateClient();
            key = first.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.BootstrapKey!;
            using var change = new HttpRequestMessage(HttpMethod.Put, "/api/v1/apps/com.demo.app/channels/production/bundle")
            {
                Content = JsonContent.Create(new { version = "1.1.0" }),
            };
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var changed = await client.SendAsync(change);
            changed.EnsureSuccessStatusCode();
            Assert.False(first.Services.GetRequiredService<LocalBootstrapKey>().Kept);
        }

        await using (var second = Start())
        {
            using var client = second.CreateClient();
            var bundle = await ProductionBundleAsync(client, key);
            var holder = second.Services.GetRequiredService<LocalBootstrapKey>();
            Assert.Equal(key, second.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.BootstrapKey);

            Assert.Equal("1.1.0", bundle);
            Assert.Equal((key, true, _keyFile), (holder.Key, holder.Kept, holder.FilePath));
            Assert.Equal(key, File.ReadAllText(_keyFile).Trim());
        }

        await using (var third = Start(reseed: true))
        {
            using var client = third.CreateClient();
            Assert.Equal("1.0.1", await ProductionBundleAsync(client, key));
        }
    }
}
