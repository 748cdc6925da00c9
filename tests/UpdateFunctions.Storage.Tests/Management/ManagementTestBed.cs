using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Core.Rollouts;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Core.Updates;
using UpdateFunctions.Storage.InMemory;
using UpdateFunctions.Storage.Management;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

/// <summary>
/// The management services over <see cref="InMemoryCatalogStore"/> (the catalog) and Azurite (audit log, keys, pending
/// uploads, blobs), wired as the host wires them, with a <see cref="FakeTimeProvider"/>: no HTTP in between.
/// </summary>
public sealed class ManagementTestBed : IDisposable
{
    public static readonly ManagementCaller Admin = new("k_admin", ApiRole.Admin, null);
    public static readonly ManagementCaller Writer = new("k_writer", ApiRole.Write, null);

    private readonly ServiceProvider _provider;

    public ManagementTestBed(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            // One table set per test bed, so audit entries of one test never show in another.
            ["Storage:TablePrefix"] = azurite.TablePrefix + Guid.NewGuid().ToString("N")[..6],
            ["Storage:BundlesContainer"] = azurite.BundlesContainer,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<ICatalogStore>(Catalog = new InMemoryCatalogStore(Clock));
        services.AddUpdateStorage(configuration).AddManagementStorage();
        services.AddSingleton(new ManagementOptions());
        services.AddSingleton<UpdateDecider>();
        services.AddSingleton<IMetricsStore, InMemoryMetricsStore>();
        services.AddSingleton<IRolloutHealthSource, MetricsRolloutHealthSource>();
        services.AddSingleton(sp => new ManagementAuthenticator(sp.GetRequiredService<IApiKeyStore>(), null, TimeSpan.FromSeconds(10), Clock));
        services.AddSingleton<ManagementChanges>();
        services.AddSingleton<AppService>().AddSingleton<ChannelService>().AddSingleton<BundleService>().AddSingleton<DeviceService>()
            .AddSingleton<SegmentService>().AddSingleton<RolloutService>().AddSingleton<KeyService>().AddSingleton<AuditService>();
        _provider = services.BuildServiceProvider();
        _ = _provider.GetRequiredService<IOptions<StorageOptions>>().Value;
    }

    /// <summary>Starts at the real time: Azurite checks the expiry of the upload SAS against its own clock.</summary>
    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());

    public InMemoryCatalogStore Catalog { get; }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>What the audit log holds, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string? appId, CancellationToken cancellationToken) =>
        await Get<IAuditLog>().ListAsync(appId, 100, cancellationToken);

    /// <summary>An app with a <c>production</c> channel serving <paramref name="bundles"/>' last version (each bundle exists).</summary>
    public async Task SeedAsync(string appId, CancellationToken cancellationToken, params string[] bundles)
    {
        await Catalog.PutAppAsync(new AppDefinition(appId, "Demo", "production"), WriteCondition.Create, cancellationToken);
        foreach (var version in bundles)
        {
            await Catalog.PutBundleAsync(appId, new BundleDefinition(version, null, $"https://cdn.example/{version}.zip", new string('a', 64), 10, "",
                null, null, null, null, Clock.GetUtcNow()), WriteCondition.Create, cancellationToken);
        }
        await Catalog.PutChannelAsync(appId, new ChannelDefinition("production", 1, bundles.LastOrDefault()), WriteCondition.Create, cancellationToken);
    }

    public void Dispose() => _provider.Dispose();
}
