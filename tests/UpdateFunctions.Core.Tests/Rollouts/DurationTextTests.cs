using UpdateFunctions.Core.Rollouts;

namespace UpdateFunctions.Core.Tests.Rollouts;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("45s", 45)]
    [InlineData("0s", 0)]
    [InlineData("01:30:00", 5400)]
    [InlineData("PT1H30M", 5400)]
    [InlineData(" 1h ", 3600)]
    public void Durations_people_type_are_read(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5")]
    [InlineData("1m1h")]
    [InlineData("-1h")]
    [InlineData("-PT1H")]
    [InlineData("P99999999999D")]
    [InlineData("1h 30m")]
    public void Anything_else_is_refused(string? text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(172800, "2d")]
    [InlineData(0, "0s")]
    [InlineData(61, "1m1s")]
    public void Durations_are_written_in_the_shortest_unit_form(int seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void What_is_written_reads_back()
    {
        foreach (var seconds in new[] { 1, 59, 60, 3599, 3600, 86399, 86400, 90061 })
        {
            Assert.True(DurationText.TryParse(DurationText.Format(TimeSpan.FromSeconds(seconds)), out var back));
            Assert.Equal(TimeSpan.FromSeconds(seconds), back);
        }
    }
}
