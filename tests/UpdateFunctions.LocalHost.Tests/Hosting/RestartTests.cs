using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UpdateFunctions.Core.Management;
using UpdateFunctions.LocalHost.Hosting;
using UpdateFunctions.Testing;

namespace UpdateFunctions.LocalHost.Tests.Hosting;

/// <summary>
/// LocalHost started again on the same storage and key file, as <c>./run.sh</c> is after Ctrl-C: the key and the
/// changes made through the API stay, and <c>--reseed</c> puts the seed's rows back.
/// </summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("updatefunctions-key-").FullName;

    private string KeyFile => Path.Combine(_directory, ".run", "bootstrap-key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A host on <paramref name="first"/>'s storage (or its own, for the first), with the test's key file.</summary>
    private Task<TestLocalHost> StartAsync(TestLocalHost? first = null, bool reseed = false)
    {
        var settings = new List<(string, string)> { ("LocalHost:BootstrapKeyFile", KeyFile), ("reseed", reseed ? "true" : "false") };
        if (first is not null)
            settings.AddRange([("Storage:TablePrefix", first.Storage.TablePrefix), ("Storage:BundlesContainer", first.Storage.BundlesContainer)]);
        return TestLocalHost.StartAsync([.. settings]);
    }

    private static string KeyOf(TestLocalHost host) => host.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.BootstrapKey!;

    private static async Task<string?> ProductionBundleAsync(TestLocalHost host, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/apps/com.demo.app/channels/production");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())?["bundle"]?.GetValue<string>();
    }

    [Fact]
    public async Task A_restart_keeps_the_key_and_what_was_changed_and_reseed_restores_the_seed()
    {
        await using var first = await StartAsync();
        var key = KeyOf(first);
        using (var change = new HttpRequestMessage(HttpMethod.Put, "/api/v1/apps/com.demo.app/channels/production/bundle"))
        {
            change.Content = JsonContent.Create(new { version = "1.1.0" });
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var changed = await first.Client.SendAsync(change);
            changed.EnsureSuccessStatusCode();
        }

        await using var second = await StartAsync(first);
        var secondKey = KeyOf(second);
        var holder = second.Services.GetRequiredService<LocalBootstrapKey>();
        var keptBundle = await ProductionBundleAsync(second, key);

        await using var third = await StartAsync(first, reseed: true);
        _ = KeyOf(third);
        var reseededBundle = await ProductionBundleAsync(third, key);

        Assert.False(first.Services.GetRequiredService<LocalBootstrapKey>().Kept);
        Assert.Equal((key, true, KeyFile), (secondKey, holder.Kept, holder.FilePath));
        Assert.Equal(key, File.ReadAllText(KeyFile).Trim());
        Assert.Equal("1.1.0", keptBundle);
        Assert.Equal("1.0.1", reseededBundle);
    }
}
