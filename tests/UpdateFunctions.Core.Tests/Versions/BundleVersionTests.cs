using UpdateFunctions.Core.Versions;

namespace UpdateFunctions.Core.Tests.Versions;

public sealed class BundleVersionTests
{
    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.2.3")]
    [InlineData("10.20.30")]
    [InlineData("1.0.0-beta.1")]
    [InlineData("1.0.0-rc.1+build.5")]
    [InlineData("1.0.0+20240101")]
    public void TryParse_accepts_strict_semver(string value)
    {
        Assert.True(BundleVersion.TryParse(value, out var version));
        Assert.Equal(value, version.ToString());
        Assert.True(BundleVersion.IsValid(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-01")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3 ")]
    [InlineData("builtin")]
    [InlineData("unknown")]
    public void TryParse_rejects_anything_else(string? value)
    {
        Assert.False(BundleVersion.TryParse(value, out var version));
        Assert.Null(version);
        Assert.False(BundleVersion.IsValid(value));
    }

    [Fact]
    public void TryParse_rejects_a_version_over_the_length_bound()
    {
        var atBound = "1.0.0-" + new string('a', BundleVersion.MaxLength - 6);
        var overBound = atBound + "a";

        Assert.True(BundleVersion.IsValid(atBound));
        Assert.False(BundleVersion.IsValid(overBound));
    }

    [Theory]
    [InlineData("1", "1.0.0")]
    [InlineData("12", "12.0.0")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("1-beta.1", "1.0.0-beta.1")]
    [InlineData("1.2-rc.1", "1.2.0-rc.1")]
    [InlineData("1.2+build.7", "1.2.0+build.7")]
    [InlineData("1.2.3-rc.1+build", "1.2.3-rc.1+build")]
    public void NormalizeNative_pads_a_short_native_version(string value, string expected)
    {
        Assert.Equal(expected, BundleVersion.NormalizeNative(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("v1")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("1..2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.x")]
    [InlineData("builtin")]
    [InlineData("unknown")]
    public void NormalizeNative_rejects_what_padding_cannot_make_semver(string? value)
    {
        Assert.Null(BundleVersion.NormalizeNative(value));
    }

    [Fact]
    public void NormalizeNative_rejects_a_version_over_the_length_bound()
    {
        Assert.Null(BundleVersion.NormalizeNative("1.2.3-" + new string('a', BundleVersion.MaxLength)));
    }

    [Theory]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("1.9.0", "1.10.0", -1)]
    [InlineData("2.0.0", "1.99.99", 1)]
    [InlineData("1.0.0-rc.1", "1.0.0", -1)]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1", -1)]
    [InlineData("1.0.0-rc.2", "1.0.0-rc.10", -1)]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    [InlineData("1.0.0", "1.0.0", 0)]
    public void Compare_orders_by_precedence_ignoring_build_metadata(string left, string right, int sign)
    {
        Assert.True(BundleVersion.TryParse(left, out var l));
        Assert.True(BundleVersion.TryParse(right, out var r));

        Assert.Equal(sign, Math.Sign(BundleVersion.Compare(l, r)));
        Assert.Equal(-sign, Math.Sign(BundleVersion.Compare(r, l)));
    }
}
