using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Core.Tests.CodePush;

public sealed class CodePushDeciderTests
{
    private static CodePushRelease Release(int number, string range = "1.x", bool mandatory = false, bool disabled = false, bool rolledBack = false) =>
        new("production", number, $"0.0.{number}", range, Hash(number), 100 + number, mandatory, disabled, $"release {number}", RolledBack: rolledBack);

    private static string Hash(int number) => new((char)('a' + number), 64);

    private static CodePushCheck Check(string appVersion = "1.2.0", int? runningNumber = null, bool companion = false)
    {
        Assert.True(BinaryVersions.TryParseAppVersion(appVersion, out var version));
        return new(appVersion, version, runningNumber is { } n ? Hash(n) : null, runningNumber is { } m ? CodePushRelease.LabelOf(m) : null, companion);
    }

    private static CodePushAnswer Decide(IEnumerable<CodePushRelease> releases, int head, CodePushCheck check) =>
        CodePushDecider.Decide(new CodePushChannelHistory(releases), $"0.0.{head}", check);

    [Fact]
    public void Decide_offers_the_newest_release_to_a_device_on_the_binary()
    {
        var answer = Decide([Release(1), Release(2)], 2, Check());

        Assert.True(answer.IsAvailable);
        Assert.Equal("v2", answer.Release!.Label);
        Assert.Equal("1.2.0", answer.AppVersion);
        Assert.False(answer.IsMandatory);
        Assert.Equal(CodePushReasons.Update, answer.Reason);
    }

    [Fact]
    public void Decide_answers_no_update_when_the_device_runs_the_newest_hash()
    {
        var answer = Decide([Release(1), Release(2)], 2, Check(runningNumber: 2));

        Assert.False(answer.IsAvailable);
        Assert.False(answer.ShouldRunBinaryVersion);
        Assert.Equal(CodePushReasons.UpToDate, answer.Reason);
    }

    [Fact]
    public void Decide_makes_the_update_mandatory_when_a_skipped_release_was_mandatory()
    {
        var answer = Decide([Release(1), Release(2, mandatory: true), Release(3)], 3, Check(runningNumber: 1));

        Assert.True(answer.IsAvailable);
        Assert.Equal("v3", answer.Release!.Label);
        Assert.True(answer.IsMandatory);
    }

    [Fact]
    public void Decide_makes_the_update_mandatory_for_a_device_on_its_binary_when_any_release_for_it_was_mandatory()
    {
        var answer = Decide([Release(1, mandatory: true), Release(2)], 2, Check());

        Assert.Equal(("v2", true), (answer.Release!.Label, answer.IsMandatory));
    }

    [Fact]
    public void Decide_does_not_make_it_mandatory_when_the_mandatory_release_is_the_one_running()
    {
        var answer = Decide([Release(1), Release(2, mandatory: true), Release(3)], 3, Check(runningNumber: 2));

        Assert.Equal("v3", answer.Release!.Label);
        Assert.False(answer.IsMandatory);
    }

    [Fact]
    public void Decide_ignores_a_mandatory_release_for_another_binary()
    {
        var answer = Decide([Release(1), Release(2, range: "2.x", mandatory: true), Release(3)], 3, Check(runningNumber: 1));

        Assert.Equal("v3", answer.Release!.Label);
        Assert.False(answer.IsMandatory);
    }

    [Fact]
    public void Decide_skips_disabled_releases()
    {
        var answer = Decide([Release(1), Release(2, disabled: true)], 2, Check());

        Assert.Equal("v1", answer.Release!.Label);
    }

    [Fact]
    public void Decide_asks_for_a_newer_binary_when_only_releases_for_newer_binaries_exist()
    {
        var answer = Decide([Release(1, range: "2.x"), Release(2, range: "^2.1.0")], 2, Check("1.2.0"));

        Assert.False(answer.IsAvailable);
        Assert.True(answer.UpdateAppVersion);
        Assert.True(answer.ShouldRunBinaryVersion);
        Assert.Equal("^2.1.0", answer.AppVersion);
        Assert.Equal(CodePushReasons.NewerBinaryNeeded, answer.Reason);
    }

    [Fact]
    public void Decide_does_not_ask_a_newer_binary_for_an_older_range()
    {
        var answer = Decide([Release(1, range: "1.x")], 1, Check("3.0.0"));

        Assert.False(answer.IsAvailable);
        Assert.False(answer.UpdateAppVersion);
        Assert.True(answer.ShouldRunBinaryVersion);
        Assert.Equal("1.x", answer.AppVersion);
    }

    [Theory]
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("1.2.x", "1.3.0", false)]
    [InlineData("^1.2.0", "1.9.0", true)]
    [InlineData("^1.2.0", "2.0.0", false)]
    [InlineData(">=1.0.0 <2.0.0", "1.5.0", true)]
    [InlineData(">=1.0.0 <2.0.0", "2.0.0", false)]
    [InlineData("~1.2", "1.2", true)]
    [InlineData("1.2.3 || 2.x", "2.4.0", true)]
    [InlineData("*", "7", true)]
    public void Decide_offers_a_release_only_inside_its_binary_range(string range, string appVersion, bool offered)
    {
        var answer = Decide([Release(1, range: range)], 1, Check(appVersion));

        Assert.Equal(offered, answer.IsAvailable);
    }

    [Fact]
    public void Decide_gives_a_companion_app_every_release_whatever_its_range()
    {
        var answer = Decide([Release(1, range: "9.x")], 1, Check("1.0.0", companion: true));

        Assert.True(answer.IsAvailable);
    }

    [Fact]
    public void Decide_does_not_offer_releases_after_the_channels_head()
    {
        // A rollout's target outside its cohort: the channel's bundle for this device is still v1's.
        var answer = Decide([Release(1), Release(2)], 1, Check());

        Assert.Equal("v1", answer.Release!.Label);
    }

    [Fact]
    public void Decide_never_offers_a_rolled_back_release_even_when_a_later_release_leaves_it_in_range()
    {
        var answer = Decide([Release(1), Release(2, rolledBack: true), Release(3, range: "2.x")], 3, Check());

        Assert.Equal("v1", answer.Release!.Label);
    }

    [Fact]
    public void Decide_sends_a_device_on_a_rolled_back_release_back_without_making_it_mandatory()
    {
        var answer = Decide([Release(1, mandatory: true), Release(2, rolledBack: true)], 1, Check(runningNumber: 2));

        Assert.True(answer.IsAvailable);
        Assert.Equal("v1", answer.Release!.Label);
        Assert.True(answer.IsMandatory); // v1 itself is mandatory
        var relaxed = Decide([Release(1), Release(2, rolledBack: true)], 1, Check(runningNumber: 2));
        Assert.False(relaxed.IsMandatory);
    }

    [Fact]
    public void Decide_answers_run_the_binary_when_the_channel_serves_no_release()
    {
        var answer = CodePushDecider.Decide(null, "1.0.0", Check());

        Assert.False(answer.IsAvailable);
        Assert.True(answer.ShouldRunBinaryVersion);
        Assert.Equal(CodePushReasons.NoReleases, answer.Reason);
    }

    [Fact]
    public void Decide_answers_no_update_when_every_release_is_disabled()
    {
        var answer = Decide([Release(1, disabled: true)], 1, Check());

        Assert.False(answer.IsAvailable);
        Assert.Equal(CodePushReasons.AllDisabled, answer.Reason);
    }

    [Fact]
    public void Decide_matches_the_running_release_by_hash_when_the_device_sends_no_label()
    {
        Assert.True(BinaryVersions.TryParseAppVersion("1.0.0", out var version));
        var check = new CodePushCheck("1.0.0", version, Hash(2), null, false);

        var answer = Decide([Release(1), Release(2, mandatory: true), Release(3)], 3, check);

        Assert.Equal("v3", answer.Release!.Label);
        Assert.False(answer.IsMandatory);
    }
}
