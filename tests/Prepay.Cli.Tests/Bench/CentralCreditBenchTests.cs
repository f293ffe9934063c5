using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public sealed class CentralCreditBenchTests
{
    [Fact]
    public async Task A_small_central_credit_run_prices_every_reading_once_and_reports_its_ratio()
    {
        var log = new StringWriter();
        var results = await CentralCreditBench.RunAsync(new CentralCreditBench.Settings(Meters: 3, Readings: 200, Postgres: null, SqliteOnly: true), log, TestContext.Current.CancellationToken);
        var result = Assert.Single(results);
        Assert.True(result.Passed, log.ToString());
        Assert.Equal(600, result.PricedRows);
        Assert.True(result.ChargedMinor > 0);
        var report = new StringWriter();
        CentralCreditBench.Write(results, report);
        Assert.Contains("ratio", report.ToString(), StringComparison.Ordinal);
    }
}
