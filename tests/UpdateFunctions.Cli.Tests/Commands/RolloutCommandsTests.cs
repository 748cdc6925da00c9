using System.Text.Json;
using UpdateFunctions.Cli.Commands;

namespace UpdateFunctions.Cli.Tests.Commands;

public sealed class RolloutCommandsTests
{
    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("0.05", 0.05)]
    [InlineData("0%", 0)]
    [InlineData("100%", 1)]
    [InlineData("2.5%", 0.025)]
    public void Failure_rates_are_read_as_percentages_or_fractions(string text, double rate) =>
        Assert.Equal(rate, RolloutCommands.ParseRate(text), 9);

    [Theory]
    [InlineData("five")]
    [InlineData("150%")]
    [InlineData("-1%")]
    [InlineData("2")]
    [InlineData("NaN")]
    public void Bad_failure_rates_are_usage_errors(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => RolloutCommands.ParseRate(text)).ExitCode);

    [Fact]
    public void A_window_is_read_as_segment_days_times_and_zone()
    {
        var (segment, window) = RolloutCommands.ParseWindow("enterprise  sat,sun 01:00-05:00 Europe/Paris");

        Assert.Equal("enterprise", segment);
        Assert.Equal("""{"days":["sat","sun"],"start":"01:00","end":"05:00","timeZone":"Europe/Paris"}""", JsonSerializer.Serialize(window, CliJson.Default.MaintenanceWindowRequest));
    }

    [Theory]
    [InlineData("enterprise sat 01:00-05:00")]
    [InlineData("enterprise sat 01:00 Europe/Paris")]
    [InlineData("enterprise sat 01:00-05:00 Mars/Olympus")]
    public void Bad_windows_are_usage_errors(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => RolloutCommands.ParseWindow(text)).ExitCode);
}
