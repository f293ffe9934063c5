using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class TopUpPiecesTests
{
    [Theory]
    [InlineData(19, 5, 10, "--meters")]
    [InlineData(5001, 5, 10, "--meters")]
    [InlineData(100, 0, 10, "--topups")]
    [InlineData(100, 91, 10, "--topups")]
    [InlineData(100, 90, 0.4, "--rate")]
    [InlineData(100, 90, 201, "--rate")]
    [InlineData(100, 90, double.NaN, "--rate")]
    public void Settings_out_of_range_are_refused_naming_the_option(int meters, int topups, double rate, string option)
    {
        var s = new TopUpSettings { Meters = meters, TopUps = topups, Rate = rate };

        Assert.StartsWith(option, s.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_run_down_three_hundred_meters_and_ten_more_to_warm_up()
    {
        var s = new TopUpSettings();

        Assert.Null(s.Problem());
        Assert.Equal(310, s.Targets);
        Assert.Equal("sqlite", s.Provider);
        Assert.Equal("postgres", (s with { Postgres = "Host=127.0.0.1" }).Provider);
    }

    private static TopUpReport Report(Percentiles toClose, Percentiles publish, int measured = 300, int neverClosed = 0, int httpErrors = 0, int drained = 310) =>
        new(new TopUpSettings(), 1000, drained, measured, 600, 30, toClose, new Percentiles(measured, 50, 90, 99, 120), publish,
            neverClosed, httpErrors, 0, [], new CpuUse(50, 0, 2));

    [Fact]
    public void The_ratios_are_top_up_over_bare_publish_at_the_same_percentile()
    {
        var r = Report(new Percentiles(300, 80, 200, 350, 400), new Percentiles(300, 2, 10, 70, 100));

        Assert.Equal(40, r.P50Ratio);
        Assert.Equal(5, r.P99Ratio);
        Assert.True(r.AimMet);
        Assert.True(r.Passed);
    }

    [Fact]
    public void A_p99_of_a_second_or_more_misses_the_aim_without_failing_the_run()
    {
        var r = Report(new Percentiles(300, 900, 990, 1000, 1200), new Percentiles(300, 2, 10, 70, 100));

        Assert.False(r.AimMet);
        Assert.True(r.Passed);
    }

    [Fact]
    public void A_top_up_that_never_closed_the_relay_fails_the_run_and_misses_the_aim_however_fast_the_others()
    {
        var r = Report(new Percentiles(299, 80, 200, 350, 400), new Percentiles(300, 2, 10, 70, 100), neverClosed: 1);

        Assert.False(r.AimMet);
        Assert.False(r.Passed);
        Assert.Contains(r.Problems, p => p.Contains("never closed", StringComparison.Ordinal));
    }

    [Fact]
    public void Meters_that_did_not_run_down_and_http_errors_fail_the_run()
    {
        var r = Report(new Percentiles(300, 80, 200, 350, 400), new Percentiles(300, 2, 10, 70, 100), httpErrors: 2, drained: 309);

        Assert.False(r.Passed);
        Assert.Equal(2, r.Problems.Count);
    }

    [Fact]
    public void The_table_and_the_json_carry_the_same_figures()
    {
        var r = Report(new Percentiles(300, 80.25, 200, 350.5, 400), new Percentiles(300, 2, 10, 70, 100));
        using var table = new StringWriter();
        using var json = new StringWriter();

        r.WriteTable(table);
        r.WriteJson(json);

        Assert.Contains("350.5", table.ToString(), StringComparison.Ordinal);
        Assert.Contains("aim p99 < 1000 ms: met", table.ToString(), StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal(350.5, doc.RootElement.GetProperty("toRelayClosed").GetProperty("p99Ms").GetDouble());
        Assert.Equal(5.01, doc.RootElement.GetProperty("p99Ratio").GetDouble());
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
    }
}
