using Azure.Data.Tables;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Persistence;
using UpdateFunctions.Storage.CodePush;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.CodePush;

public sealed class TableCodePushStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly TableCodePushStore _store = new(StorageClients.Tables(azurite), StorageClients.Options(azurite));
    private readonly string _app = $"com.codepush.t{Guid.NewGuid():N}"[..32];

    private static CodePushRelease Release(string channel, int number) =>
        new(channel, number, $"0.0.{number}", "^1.0.0", new string('a', 64), 1234, IsMandatory: number == 2, Description: "notes",
            CreatedAt: DateTimeOffset.UnixEpoch.AddDays(number), ReleasedBy: "key-1");

    [Fact]
    public async Task Releases_round_trip_in_label_order_with_every_field()
    {
        await _store.PutReleaseAsync(_app, Release("production", 10), WriteCondition.Create, Ct);
        await _store.PutReleaseAsync(_app, Release("production", 2), WriteCondition.Create, Ct);
        await _store.PutReleaseAsync(_app, Release("beta", 1), WriteCondition.Create, Ct);

        var releases = await _store.ListReleasesAsync(_app, Ct);

        Assert.Equal(["beta|v1", "production|v2", "production|v10"], releases.Select(r => $"{r.Value.Channel}|{r.Value.Label}"));
        Assert.Equal(Release("production", 2), releases[1].Value);
        Assert.All(releases, r => Assert.False(string.IsNullOrEmpty(r.ETag)));
    }

    [Fact]
    public async Task Every_write_moves_the_version_token_and_the_version_rows_are_never_listed()
    {
        var releasesBefore = await _store.GetReleasesVersionAsync(_app, Ct);
        var keysBefore = await _store.GetKeysVersionAsync(Ct);
        await _store.PutReleaseAsync(_app, Release("production", 1), WriteCondition.Create, Ct);
        var afterRelease = await _store.GetReleasesVersionAsync(_app, Ct);
        var key = new DeploymentKey($"dk_{Guid.NewGuid():N}", DeploymentKey.HashOf(Guid.NewGuid().ToString()), _app, "production", Platform.Ios, "ios", DateTimeOffset.UnixEpoch);
        await _store.AddKeyAsync(key, Ct);
        var afterAdd = await _store.GetKeysVersionAsync(Ct);
        await _store.DeleteKeyAsync(key.Hash, Ct);
        var afterDelete = await _store.GetKeysVersionAsync(Ct);

        Assert.Null(releasesBefore); // this app never had a release
        Assert.NotNull(afterRelease);
        Assert.Equal(afterRelease, await _store.GetReleasesVersionAsync(_app, Ct)); // reading does not move it
        Assert.NotEqual(keysBefore, afterAdd);
        Assert.NotEqual(afterAdd, afterDelete);
        Assert.Single(await _store.ListReleasesAsync(_app, Ct));
        Assert.DoesNotContain(await _store.ListKeysAsync(Ct), k => k.Hash == key.Hash || string.IsNullOrEmpty(k.AppId));
    }

    [Fact]
    public async Task A_second_release_with_the_same_label_is_a_conflict()
    {
        await _store.PutReleaseAsync(_app, Release("production", 1), WriteCondition.Create, Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.PutReleaseAsync(_app, Release("production", 1), WriteCondition.Create, Ct));
    }

    [Fact]
    public async Task A_release_written_with_a_stale_etag_is_a_conflict()
    {
        var etag = await _store.PutReleaseAsync(_app, Release("production", 1), WriteCondition.Create, Ct);
        await _store.PutReleaseAsync(_app, Release("production", 1) with { IsDisabled = true }, WriteCondition.Matching(etag), Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.PutReleaseAsync(_app, Release("production", 1) with { RolledBack = true }, WriteCondition.Matching(etag), Ct));
        var stored = Assert.Single(await _store.ListReleasesAsync(_app, Ct));
        Assert.Equal((true, false), (stored.Value.IsDisabled, stored.Value.RolledBack));
    }

    [Fact]
    public async Task Keys_are_stored_by_hash_only_and_deleted_by_hash()
    {
        var (secret, id) = DeploymentKey.Generate();
        var key = new DeploymentKey(id, DeploymentKey.HashOf(secret), _app, "production", Platform.Android, "android", DateTimeOffset.UnixEpoch, "admin");
        await _store.AddKeyAsync(key, Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.AddKeyAsync(key, Ct));

        Assert.Contains(key, await _store.ListKeysAsync(Ct));
        var row = await azurite.CreateTableServiceClient().GetTableClient(azurite.TablePrefix + "codepushkeys")
            .GetEntityAsync<TableEntity>(key.Hash, "key", cancellationToken: Ct);
        Assert.DoesNotContain(row.Value, p => p.Value is string text && text.Contains(secret, StringComparison.Ordinal));

        await _store.DeleteKeyAsync(key.Hash, Ct);
        Assert.DoesNotContain(key, await _store.ListKeysAsync(Ct));
    }
}
