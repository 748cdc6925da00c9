using UpdateFunctions.DeviceSimulator.CommandLine;
using UpdateFunctions.DeviceSimulator.Simulation;

namespace UpdateFunctions.DeviceSimulator.Tests.CommandLine;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("3", 3000)]
    [InlineData("0", 0)]
    [InlineData("00:01:30", 90_000)]
    public void Durations_read_with_a_unit_or_as_seconds(string text, int milliseconds)
    {
        Assert.True(ValueParsers.TryDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("5d")]
    [InlineData("")]
    [InlineData("48h")]
    public void Other_durations_are_refused(string text) => Assert.False(ValueParsers.TryDuration(text, out _));

    [Theory]
    [InlineData("0.2", 0.2)]
    [InlineData("20%", 0.2)]
    [InlineData("1", 1.0)]
    [InlineData("0", 0.0)]
    [InlineData("100%", 1.0)]
    public void Fractions_read_as_numbers_or_percentages(string text, double expected)
    {
        Assert.True(ValueParsers.TryFraction(text, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("120%")]
    [InlineData("-0.1")]
    [InlineData("a lot")]
    public void Fractions_outside_zero_to_one_are_refused(string text) => Assert.False(ValueParsers.TryFraction(text, out _));

    [Fact]
    public void Shares_without_a_value_take_what_the_others_leave()
    {
        var shares = ValueParsers.TryShares("beta=20%,next,internal", _ => null, out var error);

        Assert.Null(error);
        Assert.Equal([new Share("beta", 0.2), new Share("next", 0.4), new Share("internal", 0.4)], shares!.Select(s => s with { Weight = Math.Round(s.Weight, 9) }));
    }

    [Fact]
    public void Weights_without_a_value_count_one()
    {
        var shares = ValueParsers.TryWeights("ios,android=3", _ => null, out var error);

        Assert.Null(error);
        Assert.Equal([new Share("ios", 1), new Share("android", 3)], shares);
    }

    [Theory]
    [InlineData("channel=beta,none", DeviceField.Channel, new[] { "beta", "none" })]
    [InlineData("custom-id-prefix=ent-", DeviceField.CustomIdPrefix, new[] { "ent-" })]
    [InlineData("version_build=1.1.0", DeviceField.VersionBuild, new[] { "1.1.0" })]
    public void Filters_name_a_field_and_its_values(string text, DeviceField field, string[] values)
    {
        var filter = ValueParsers.TryFilter(text, out var error);

        Assert.Null(error);
        Assert.Equal(field, filter!.Field);
        Assert.Equal(values, filter.Values);
    }

    [Theory]
    [InlineData("platform")]
    [InlineData("platform=")]
    [InlineData("=ios")]
    [InlineData("platform=,")]
    public void Incomplete_filters_are_refused(string text)
    {
        Assert.Null(ValueParsers.TryFilter(text, out var error));
        Assert.NotNull(error);
    }
}
