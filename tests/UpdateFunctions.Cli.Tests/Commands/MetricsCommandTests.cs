using UpdateFunctions.Cli.Commands;

namespace UpdateFunctions.Cli.Tests.Commands;

public sealed class MetricsCommandTests
{
    [Fact]
    public void Sparkline_scales_each_bucket_to_the_rows_maximum()
    {
        Assert.Equal("▁▃█", MetricsCommand.Sparkline([0, 2, 7]));
    }

    [Fact]
    public void Sparkline_of_one_bucket_or_none_is_empty_and_of_zeros_is_flat()
    {
        Assert.Equal("", MetricsCommand.Sparkline([7]));
        Assert.Equal("▁▁▁", MetricsCommand.Sparkline([0, 0, 0]));
    }
}
