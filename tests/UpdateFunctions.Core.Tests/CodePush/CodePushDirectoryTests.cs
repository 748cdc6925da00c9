using Microsoft.Extensions.Time.Testing;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.CodePush;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Tests.CodePush;

public sealed class CodePushDirectoryTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();
    private readonly CountingStore _store = new();

    private static DeploymentKey Key(string secret) =>
        new("dk_1", DeploymentKey.HashOf(secret), "com.rn.app", "production", Platform.Ios, "ios", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task FindKeyAsync_answers_known_and_unknown_keys_from_one_load()
    {
        _store.Keys.Add(Key("known-key-0123"));
        var directory = new CodePushDirectory(_store, _clock, Refresh);

        var known = await directory.FindKeyAsync(DeploymentKey.HashOf("known-key-0123"), CancellationToken.None);
        for (var i = 0; i < 1000; i++)
            Assert.Null(await directory.FindKeyAsync(DeploymentKey.HashOf($"made-up-key-{i}"), CancellationToken.None));

        Assert.Equal("com.rn.app", known!.AppId);
        Assert.Equal(1, _store.KeyLoads);
    }

    [Fact]
    public async Task FindKeyAsync_serves_a_stale_index_while_one_reload_brings_new_keys()
    {
        var directory = new CodePushDirectory(_store, _clock, Refresh);
        Assert.Null(await directory.FindKeyAsync(DeploymentKey.HashOf("later-key-0123"), CancellationToken.None));
        _store.Keys.Add(Key("later-key-0123"));

        _clock.Advance(Refresh);
        var stale = await directory.FindKeyAsync(DeploymentKey.HashOf("later-key-0123"), CancellationToken.None);
        DeploymentKey? fresh = null;
        for (var attempt = 0; attempt < 500 && fresh is null; attempt++)
        {
            // The reload runs in the background; the clock does not move, so no further reload starts.
            await Task.Delay(10);
            fresh = await directory.FindKeyAsync(DeploymentKey.HashOf("later-key-0123"), CancellationToken.None);
        }

        Assert.Null(stale);
        Assert.NotNull(fresh);
        Assert.Equal(2, _store.KeyLoads);
    }

    [Fact]
    public async Task InvalidateKeys_makes_the_next_lookup_read_storage()
    {
        var directory = new CodePushDirectory(_store, _clock, Refresh);
        await directory.FindKeyAsync("x", CancellationToken.None);
        _store.Keys.Add(Key("added-key-0123"));

        directory.InvalidateKeys();

        Assert.NotNull(await directory.FindKeyAsync(DeploymentKey.HashOf("added-key-0123"), CancellationToken.None));
        Assert.Equal(2, _store.KeyLoads);
    }

    [Fact]
    public async Task A_first_load_that_fails_throws_and_the_next_call_tries_again()
    {
        _store.Fail = true;
        var directory = new CodePushDirectory(_store, _clock, Refresh);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => directory.FindKeyAsync("x", CancellationToken.None).AsTask());
        _store.Fail = false;

        Assert.Null(await directory.FindKeyAsync("x", CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_reload_keeps_serving_the_last_index_and_tries_again_one_interval_later()
    {
        _store.Keys.Add(Key("known-key-0123"));
        var directory = new CodePushDirectory(_store, _clock, Refresh);
        var hash = DeploymentKey.HashOf("known-key-0123");
        await directory.FindKeyAsync(hash, CancellationToken.None);
        _store.Fail = true;
        _clock.Advance(Refresh);

        for (var i = 0; i < 50; i++)
        {
            Assert.NotNull(await directory.FindKeyAsync(hash, CancellationToken.None));
            await Task.Delay(5);
        }
        Assert.Equal(2, _store.VersionReads); // the first load and one failed reload, not one per call

        _store.Fail = false;
        _clock.Advance(Refresh);
        await directory.FindKeyAsync(hash, CancellationToken.None);
        for (var attempt = 0; attempt < 500 && _store.VersionReads < 3; attempt++)
            await Task.Delay(10);
        Assert.Equal((3, 1), (_store.VersionReads, _store.KeyLoads)); // the keys did not change: the index is kept
    }

    [Fact]
    public async Task An_idle_refresh_reads_the_version_token_and_not_the_keys_or_releases()
    {
        _store.Keys.Add(Key("known-key-0123"));
        _store.Releases.Add(new("beta", 1, "0.0.1", "1.x", "a", 1));
        var directory = new CodePushDirectory(_store, _clock, Refresh);
        await directory.FindKeyAsync("x", CancellationToken.None);
        await directory.GetHistoryAsync("com.rn.app", CancellationToken.None);

        for (var round = 0; round < 3; round++)
        {
            _clock.Advance(Refresh);
            await directory.FindKeyAsync("x", CancellationToken.None);
            await directory.GetHistoryAsync("com.rn.app", CancellationToken.None);
            for (var attempt = 0; attempt < 500 && (_store.VersionReads < round + 2 || _store.ReleaseVersionReads < round + 2); attempt++)
                await Task.Delay(10);
        }

        Assert.Equal((4, 1), (_store.VersionReads, _store.KeyLoads));
        Assert.Equal((4, 1), (_store.ReleaseVersionReads, _store.ReleaseLoads));
    }

    [Fact]
    public async Task The_keys_are_read_whole_again_after_the_full_reload_interval_even_when_the_token_holds()
    {
        var directory = new CodePushDirectory(_store, _clock, Refresh);
        await directory.FindKeyAsync("x", CancellationToken.None);

        _clock.Advance(CodePushDirectory.FullReloadInterval);
        await directory.FindKeyAsync("x", CancellationToken.None);
        for (var attempt = 0; attempt < 500 && _store.KeyLoads < 2; attempt++)
            await Task.Delay(10);

        Assert.Equal(2, _store.KeyLoads);
    }

    [Fact]
    public async Task GetHistoryAsync_groups_an_apps_releases_by_channel_in_label_order()
    {
        _store.Releases.Add(new("beta", 2, "0.0.2", "1.x", "b", 1));
        _store.Releases.Add(new("beta", 1, "0.0.1", "1.x", "a", 1));
        _store.Releases.Add(new("production", 1, "0.0.1", "1.x", "a", 1));
        var directory = new CodePushDirectory(_store, _clock, Refresh);

        var history = await directory.GetHistoryAsync("com.rn.app", CancellationToken.None);

        Assert.Equal(["v1", "v2"], history.For("beta")!.Releases.Select(r => r.Label));
        Assert.Single(history.For("production")!.Releases);
        Assert.Null(history.For("nope"));
    }

    private sealed class CountingStore : ICodePushStore
    {
        public List<DeploymentKey> Keys { get; } = [];
        public List<CodePushRelease> Releases { get; } = [];
        public int KeyLoads { get; private set; }
        public int Attempts { get; private set; }
        public int VersionReads { get; private set; }
        public int ReleaseLoads { get; private set; }
        public int ReleaseVersionReads { get; private set; }
        public bool Fail { get; set; }

        /// <summary>Moves whenever <see cref="Keys"/> changes, as the table store's version row does after a write.</summary>
        public Task<string?> GetKeysVersionAsync(CancellationToken cancellationToken)
        {
            VersionReads++;
            if (Fail)
                throw new StorageUnavailableException("down");
            return Task.FromResult<string?>(string.Join(',', Keys.Select(k => k.Hash)));
        }

        public Task<string?> GetReleasesVersionAsync(string appId, CancellationToken cancellationToken)
        {
            ReleaseVersionReads++;
            return Task.FromResult<string?>(Releases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        public Task<IReadOnlyList<DeploymentKey>> ListKeysAsync(CancellationToken cancellationToken)
        {
            Attempts++;
            if (Fail)
                throw new StorageUnavailableException("down");
            KeyLoads++;
            return Task.FromResult<IReadOnlyList<DeploymentKey>>([.. Keys]);
        }

        public Task AddKeyAsync(DeploymentKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteKeyAsync(string hash, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Versioned<CodePushRelease>>> ListReleasesAsync(string appId, CancellationToken cancellationToken)
        {
            ReleaseLoads++;
            return Task.FromResult<IReadOnlyList<Versioned<CodePushRelease>>>([.. Releases.Select(r => new Versioned<CodePushRelease>(r, "e"))]);
        }

        public Task<string> PutReleaseAsync(string appId, CodePushRelease release, WriteCondition condition, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
