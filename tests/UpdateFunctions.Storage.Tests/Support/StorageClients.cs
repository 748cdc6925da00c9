using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Support;

/// <summary>Clients of the fixture's Azurite account with test policies and no retries (an outage fails at once).</summary>
internal static class StorageClients
{
    public static TableServiceClient Tables(AzuriteFixture azurite, params HttpPipelinePolicy[] policies)
    {
        var options = new TableClientOptions();
        Configure(options, policies);
        return azurite.CreateTableServiceClient(options);
    }

    public static BlobServiceClient Blobs(AzuriteFixture azurite, params HttpPipelinePolicy[] policies)
    {
        var options = new BlobClientOptions();
        Configure(options, policies);
        return azurite.CreateBlobServiceClient(options);
    }

    public static IOptions<StorageOptions> Options(AzuriteFixture azurite, Action<StorageOptions>? configure = null)
    {
        var options = new StorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            TablePrefix = azurite.TablePrefix,
            BundlesContainer = azurite.BundlesContainer,
        };
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    private static void Configure(ClientOptions options, HttpPipelinePolicy[] policies)
    {
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        foreach (var policy in policies)
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
    }
}
