using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class BenchDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("90", 90_000)]
    [InlineData(" 10s ", 10_000)]
    public void A_duration_is_read_in_its_unit(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BenchDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("10h")]
    [InlineData("s")]
    [InlineData(null)]
    public void Anything_else_is_not_a_duration(string? text)
    {
        Assert.Null(BenchDuration.Parse(text));
    }

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(120_000, "2m")]
    [InlineData(90_000, "90s")]
    [InlineData(250, "250ms")]
    public void A_duration_is_written_the_way_it_is_read(long milliseconds, string text)
    {
        var d = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(text, BenchDuration.Format(d));
        Assert.Equal(d, BenchDuration.Parse(BenchDuration.Format(d)));
    }
}
