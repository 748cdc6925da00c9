using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Core.Retention;
using UpdateFunctions.Core.Telemetry;
using UpdateFunctions.Storage.Metrics;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Metrics;

/// <summary>
/// Metrics retention on Azurite: hourly rows past the window rolled up into daily rows in bounded runs, totals per day
/// unchanged whatever the runs and wherever one stopped, daily rows deleted past theirs.
/// </summary>
public sealed class MetricsRetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string App = "com.example.retention";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static int _stores;

    [Fact]
    public async Task Two_bounded_runs_over_a_year_keep_every_day_s_totals_and_leave_no_hourly_row_past_the_window()
    {
        var store = NewStore();
        var seeded = await SeedAsync(store, days: 365);
        var expected = Daily(seeded);
        var retention = Service(store, new RetentionOptions { MaxDaysPerRun = 200 });
        // The metrics API over 90 days, by day: 30 from hourly rows, 60 from daily rows after the runs.
        var query = new MetricsQuery(App, Start(Today.AddDays(-90)), Start(Today.AddDays(1)), MetricsDimensions.Bundle | MetricsDimensions.Segment, MetricsInterval.Day);
        var before = await new MetricsQueryService(store).QueryAsync(query, CancellationToken.None);

        var first = await retention.RunAsync(CancellationToken.None);
        var second = await retention.RunAsync(CancellationToken.None);
        var third = await retention.RunAsync(CancellationToken.None);

        Assert.Equal((200, true), (first.DaysRolledUp, first.More));
        Assert.Equal((365 - 30 - 200, false), (second.DaysRolledUp, second.More));
        Assert.Equal(0, third.DaysRolledUp);
        Assert.Equal(seeded.Count(r => r.Key.Day < Today.AddDays(-30)), first.HourlyRowsDeleted + second.HourlyRowsDeleted);
        Assert.Equal(expected, Daily(await store.QueryAsync(App, Start(Today.AddDays(-366)), Start(Today.AddDays(1)), CancellationToken.None)));
        Assert.Empty(await HourlyRowsBeforeAsync(store, Today.AddDays(-30)));
        Assert.Equal(seeded.Count(r => r.Key.Day >= Today.AddDays(-30)), (await HourlyRowsBeforeAsync(store, Today.AddDays(1))).Count);
        var after = await new MetricsQueryService(store).QueryAsync(query, CancellationToken.None);
        Assert.Equal(4, after.Series.Count);
        Assert.All(after.Series, series => Assert.Equal(91, series.Points.Count));
        Assert.Equal(before.Series.SelectMany(s => s.Points), after.Series.SelectMany(s => s.Points));
        Assert.Equal(before.Series.Select(s => s.Total), after.Series.Select(s => s.Total));
    }

    [Fact]
    public async Task A_roll_up_that_stopped_before_marking_its_day_is_computed_again_and_replaces_what_it_wrote()
    {
        var store = NewStore();
        var day = Today.AddDays(-40);
        var seeded = await SeedAsync(store, days: 41, onlyDay: day);
        var expected = Daily(seeded);
        // What a run that died after writing one daily row (with wrong, doubled counts) and before the mark leaves.
        var daily = store.DailyTableForTests;
        await daily.CreateIfNotExistsAsync();
        var partial = MetricsRollup.Daily(seeded)[0];
        await daily.UpsertEntityAsync(TableMetricsStore.ToDailyEntity(MetricsTableKeys.PartitionKey(App, day),
            partial with { Counters = MetricCounters.Sum([partial.Counters, partial.Counters]) }));

        var before = Daily(await store.QueryAsync(App, Start(day), Start(day.AddDays(1)), CancellationToken.None));
        var rollup = await store.RollUpDayAsync(App, day, CancellationToken.None);

        Assert.Equal(expected, before);
        Assert.Equal((false, expected.Count), (rollup.AlreadyRolledUp, rollup.DailyRows));
        Assert.Equal(expected, Daily(await store.QueryAsync(App, Start(day), Start(day.AddDays(1)), CancellationToken.None)));
        Assert.Empty(await HourlyRowsBeforeAsync(store, day.AddDays(1)));
    }

    [Fact]
    public async Task A_roll_up_that_stopped_while_deleting_hourly_rows_counts_the_day_once_and_the_next_run_finishes_it()
    {
        var store = NewStore();
        var day = Today.AddDays(-40);
        var seeded = await SeedAsync(store, days: 41, onlyDay: day);
        var expected = Daily(seeded);
        await store.RollUpDayAsync(App, day, CancellationToken.None);
        // Put half of the hourly rows back: as if the run had died half-way through deleting them.
        await InsertAsync(store, seeded.Where((_, i) => i % 2 == 0).ToList());

        var during = Daily(await store.QueryAsync(App, Start(day), Start(day.AddDays(1)), CancellationToken.None));
        var rerun = await store.RollUpDayAsync(App, day, CancellationToken.None);

        Assert.Equal(expected, during);
        Assert.Equal((true, 0, (seeded.Count + 1) / 2), (rerun.AlreadyRolledUp, rerun.DailyRows, rerun.HourlyRowsDeleted));
        Assert.Equal(expected, Daily(await store.QueryAsync(App, Start(day), Start(day.AddDays(1)), CancellationToken.None)));
        Assert.Empty(await HourlyRowsBeforeAsync(store, day.AddDays(1)));
    }

    [Fact]
    public async Task Daily_rows_past_their_months_are_deleted_and_the_rest_stay()
    {
        var store = NewStore();
        var old = Today.AddMonths(-13).AddDays(-2);
        var kept = Today.AddMonths(-13).AddDays(2);
        await SeedAsync(store, days: 400, onlyDay: old);
        await SeedAsync(store, days: 400, onlyDay: kept);
        var retention = Service(store, new RetentionOptions());

        var result = await retention.RunAsync(CancellationToken.None);

        Assert.Equal(2, result.DaysRolledUp);
        Assert.True(result.DailyRowsDeleted > 0);
        var rows = await store.QueryAsync(App, Start(old.AddDays(-1)), Now, CancellationToken.None);
        Assert.All(rows, r => Assert.Equal(kept, r.Key.Day));
        Assert.NotEmpty(rows);
    }

    private static RetentionService Service(TableMetricsStore store, RetentionOptions options) =>
        new(store, new NoAudit(), options, new FakeTimeProvider(Now));

    /// <summary>Three hours a day, two Event Hubs partitions, two bundles, two segments, a few devices each; one day or every day back from today.</summary>
    private static async Task<List<MetricsRow>> SeedAsync(TableMetricsStore store, int days, DateOnly? onlyDay = null)
    {
        var random = new Random(days);
        var rows = new List<MetricsRow>();
        for (var d = 0; d <= days; d++)
        {
            var day = Today.AddDays(-d);
            if (onlyDay is { } only && day != only)
                continue;
            foreach (var hour in new[] { 0, 11, 23 })
            foreach (var partition in new[] { "0", "1" })
            foreach (var bundle in new[] { "1.0.0", "1.1.0" })
            foreach (var segment in new[] { MetricKey.AllSegment, "beta" })
            {
                var counters = new MetricCounters();
                for (var e = random.Next(1, 6); e > 0; e--)
                {
                    var device = HyperLogLog.Hash("device-" + random.Next(50));
                    counters.Add((MetricCounter)random.Next(StatsActions.CounterCount), device);
                    counters.Add(MetricCounter.Set, device);
                }
                rows.Add(new MetricsRow(new MetricKey(App, day, hour, "production", Platform.Android, bundle, segment), partition, random.Next(1000), counters));
            }
        }
        await InsertAsync(store, rows);
        return rows;
    }

    private static async Task InsertAsync(TableMetricsStore store, List<MetricsRow> rows)
    {
        var table = store.HourlyTableForTests;
        await table.CreateIfNotExistsAsync();
        foreach (var day in rows.GroupBy(r => MetricsTableKeys.PartitionKey(App, r.Key.Day)))
        {
            foreach (var chunk in day.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    TableMetricsStore.ToEntity(day.Key, MetricsTableKeys.RowKey(r.Key, r.PartitionId), r.Key, r.PartitionId, r.LastSequenceNumber, r.Counters))));
            }
        }
    }

    private static async Task<List<TableEntity>> HourlyRowsBeforeAsync(TableMetricsStore store, DateOnly before)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {MetricsTableKeys.PartitionKey(App, before)}");
        return await store.HourlyTableForTests.QueryAsync<TableEntity>(filter).ToListAsync();
    }

    /// <summary>Totals per (day, channel, platform, bundle, segment): counters and device sketches.</summary>
    private static Dictionary<MetricKey, MetricCounters> Daily(IEnumerable<MetricsRow> rows) =>
        MetricsRollup.Daily(rows).ToDictionary(r => r.Key, r => r.Counters);

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private TableMetricsStore NewStore()
    {
        var prefix = azurite.TablePrefix + "r" + Interlocked.Increment(ref _stores);
        return new TableMetricsStore(azurite.CreateTableServiceClient(), prefix, NullLogger<TableMetricsStore>.Instance);
    }

    private sealed class NoAudit : IAuditLog
    {
        public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<IReadOnlyList<AuditEntry>> ListAsync(string? appId, int top, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditEntry>>([]);
        public Task<int> DeleteBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
