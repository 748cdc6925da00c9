using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Retention;
using UpdateFunctions.Storage.Management;
using UpdateFunctions.Storage.Metrics;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace UpdateFunctions.Storage.Tests.Management;

/// <summary>Audit log retention on Azurite: kept for ever by default; with a number of days, older entries go from every partition.</summary>
public sealed class AuditRetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_audit_log_is_kept_by_default_and_entries_past_the_configured_days_are_deleted_everywhere()
    {
        var audit = new TableAuditLog(StorageClients.Tables(azurite), StorageClients.Options(azurite));
        var app = "com.example.audit" + Guid.NewGuid().ToString("N")[..6];
        foreach (var days in new[] { 400, 100, 10, 1 })
            await audit.WriteAsync(new AuditEntry(Guid.NewGuid().ToString("N"), Now.AddDays(-days), "k1", "bundle.create", app, $"apps/{app}/bundles/{days}", null, "{}"), CancellationToken.None);
        await audit.WriteAsync(new AuditEntry(Guid.NewGuid().ToString("N"), Now.AddDays(-200), "k1", "key.create", null, "keys/k2", null, "{}"), CancellationToken.None);
        var metrics = new TableMetricsStore(azurite.CreateTableServiceClient(), azurite.TablePrefix + "audit", NullLogger<TableMetricsStore>.Instance);

        var kept = await new RetentionService(metrics, audit, new RetentionOptions(), new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);
        var pruned = await new RetentionService(metrics, audit, new RetentionOptions { AuditDays = 90 }, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);
        var again = await new RetentionService(metrics, audit, new RetentionOptions { AuditDays = 90 }, new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);

        Assert.Equal(0, kept.AuditEntriesDeleted);
        // 400, 100 (app and _all partitions) and the global 200 (_global and _all): 6 rows.
        Assert.Equal(6, pruned.AuditEntriesDeleted);
        Assert.Equal(0, again.AuditEntriesDeleted);
        Assert.Equal(["apps/" + app + "/bundles/1", "apps/" + app + "/bundles/10"], (await audit.ListAsync(app, 10, CancellationToken.None)).Select(e => e.Resource));
        Assert.DoesNotContain(await audit.ListAsync(null, 100, CancellationToken.None), e => e.At < Now.AddDays(-90));
    }
}
