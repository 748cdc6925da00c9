using UpdateFunctions.Core.CodePush;

namespace UpdateFunctions.Core.Tests.CodePush;

public sealed class BinaryVersionsTests
{
    [Theory]
    [InlineData("1", "1.0.0")]
    [InlineData("2.0", "2.0.0")]
    [InlineData("2.0-beta", "2.0.0-beta")]
    [InlineData("1.2.3", "1.2.3")]
    public void TryParseAppVersion_pads_versions_as_the_archived_server_did(string sent, string expected)
    {
        Assert.True(BinaryVersions.TryParseAppVersion(sent, out var version));
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData(null)]
    public void TryParseAppVersion_refuses_what_is_not_a_version(string? sent) =>
        Assert.False(BinaryVersions.TryParseAppVersion(sent, out _));

    [Theory]
    [InlineData("1.2.x")]
    [InlineData("^1.2.0")]
    [InlineData(">=1.0.0 <2.0.0")]
    [InlineData("1.0.0 - 1.4.0")]
    [InlineData("*")]
    public void TryParseRange_reads_npm_ranges(string range) => Assert.True(BinaryVersions.TryParseRange(range, out _));

    [Theory]
    [InlineData("")]
    [InlineData("not a range")]
    [InlineData(">=>1")]
    public void TryParseRange_refuses_malformed_ranges(string range) => Assert.False(BinaryVersions.TryParseRange(range, out _));

    [Fact]
    public void TryParseRange_refuses_overlong_ranges() =>
        Assert.False(BinaryVersions.TryParseRange(string.Join(" || ", Enumerable.Repeat("1.2.3", 40)), out _));

    [Theory]
    [InlineData("2.0.0", "1.x", true)]
    [InlineData("1.5.0", "1.x", false)]
    [InlineData("0.9.0", "1.x", false)]
    [InlineData("9.0.0", ">=1.0.0", false)]
    [InlineData("2.0.0", "<2.0.0", true)]
    [InlineData("2.0.0", "<=2.0.0", false)]
    public void IsAbove_is_npm_gtr(string version, string range, bool above)
    {
        Assert.True(BinaryVersions.TryParseAppVersion(version, out var parsed));
        Assert.True(BinaryVersions.TryParseRange(range, out var parsedRange));
        Assert.Equal(above, BinaryVersions.IsAbove(parsed, parsedRange));
    }
}
