using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;

namespace UpdateFunctions.Testing;

/// <summary>
/// Real storage for integration tests: the Azurite emulator that <c>./test.sh</c> (and <c>.ci/run</c>) start.
/// Each fixture works under a unique table prefix and container name and deletes them when disposed, so
/// test classes never see each other's data. There is no fallback to a fake: without Azurite the tests fail.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Overrides the connection string, e.g. to run the suite against a real account.</summary>
    public const string ConnectionStringVariable = "UPDATEFUNCTIONS_TEST_STORAGE";

    public AzuriteFixture()
    {
        ConnectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } configured
            ? configured
            : "UseDevelopmentStorage=true";
        var suffix = Guid.NewGuid().ToString("N")[..10];
        TablePrefix = "t" + suffix;
        BundlesContainer = "bundles-" + suffix;
    }

    public string ConnectionString { get; }

    /// <summary>Prefix of every table this fixture's code creates (letters and digits only, as tables require).</summary>
    public string TablePrefix { get; }

    public string BundlesContainer { get; }

    /// <summary>Points a host (LocalHost in process) at this fixture's storage: connection, table prefix, container.</summary>
    public void UseIn(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Storage:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:TablePrefix", TablePrefix);
        builder.UseSetting("Storage:BundlesContainer", BundlesContainer);
    }

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        new(ConnectionString, options ?? new TableClientOptions());

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        new(ConnectionString, options ?? new BlobClientOptions());

    public async Task InitializeAsync()
    {
        if (ConnectionString == "UseDevelopmentStorage=true")
            await EnsureAzuriteListensAsync();
    }

    public async Task DisposeAsync()
    {
        var tables = CreateTableServiceClient();
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(TablePrefix) >= 0 && t.Name.CompareTo(TablePrefix + "~") < 0))
            await tables.DeleteTableAsync(table.Name);
        await CreateBlobServiceClient().GetBlobContainerClient(BundlesContainer).DeleteIfExistsAsync();
        await CreateBlobServiceClient().GetBlobContainerClient(BundlesContainer + "-staging").DeleteIfExistsAsync();
    }

    private static async Task EnsureAzuriteListensAsync()
    {
        foreach (var port in new[] { 10000, 10002 })
        {
            using var client = new TcpClient();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"Azurite is not listening on 127.0.0.1:{port}. Run the tests with ./test.sh, which starts it, " +
                    $"or start it yourself (npx azurite --silent --loose --skipApiVersionCheck), or set {ConnectionStringVariable}.",
                    ex);
            }
        }
    }
}
