using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class VendBenchTests
{
    [Fact]
    public async Task Short_sqlite_run_vends_and_loses_or_doubles_nothing()
    {
        // Beyond the 24 demo meters: the fleet meters the bench adds are sold to as well.
        var settings = new BenchSettings { Duration = TimeSpan.FromSeconds(2), Clients = 2, Meters = 40, SqliteOnly = true };

        var report = await VendBench.RunAsync(settings, TextWriter.Null, TestContext.Current.CancellationToken);

        var sqlite = Assert.Single(report.Providers);
        Assert.Equal("sqlite", sqlite.Provider);
        Assert.True(sqlite.Load.VendsPerSecond > 0, "no vends per second");
        Assert.Equal(0, sqlite.Load.Errors);
        Assert.Equal(0, sqlite.Check.Lost);
        Assert.Equal(0, sqlite.Check.Doubled);
        Assert.Equal(0, sqlite.Check.RetryMismatches);
        Assert.Empty(sqlite.Check.LedgerProblems);
        Assert.Equal(0, sqlite.Check.BalanceSum);
        Assert.True(sqlite.Latency.P99Ms >= sqlite.Latency.P50Ms);
        Assert.True(report.Passed);
        Assert.Null(report.Ratio);
    }
}
