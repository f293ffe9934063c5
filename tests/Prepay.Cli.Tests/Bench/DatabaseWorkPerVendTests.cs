using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

/// <summary>The vend bench holds the database's CPU per vend against its CPU per pgbench transaction, both from the same run.</summary>
public sealed class DatabaseWorkPerVendTests
{
    [Fact]
    public void A_vend_is_counted_in_tpcb_transactions_of_database_cpu()
    {
        // 400 vends/s with PostgreSQL at 80% of a core: 2 ms a vend; 2,000 TPS at 100%: 0.5 ms a transaction.
        var report = Report(vendsPerSecond: 400, vendPostgresPercent: 80, new PgBench.Result(2000, 16, 10, 16, PostgresPercent: 100));

        Assert.Equal(0.5, report.PgBench!.PostgresCpuMsPerTransaction, 6);
        Assert.Equal(4.0, report.DatabaseWorkPerVend!.Value, 6);
        var table = new StringWriter();
        report.WriteTable(table);
        Assert.Contains("postgres cpu ms per vend 2.00, per TPC-B transaction 0.50: a vend is 4.0 TPC-B transactions of database work;", table.ToString(), StringComparison.Ordinal);
        // Two cores of 1,000 ms each at 2 ms a vend: 1,000 vends/s, half of pgbench's 2,000.
        Assert.Contains("with every one of the 2 cores given to PostgreSQL and none to the server, at most 1000 vends/s = 0.50 of pgbench's TPS", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_database_cpu_of_either_side_nothing_is_claimed()
    {
        Assert.Null(Report(400, 80, new PgBench.Result(2000, 16, 10, 16)).DatabaseWorkPerVend);
        Assert.Null(Report(400, 0, new PgBench.Result(2000, 16, 10, 16, 100)).DatabaseWorkPerVend);
        Assert.Null(Report(400, 80, null).DatabaseWorkPerVend);
    }

    private static BenchReport Report(int vendsPerSecond, double vendPostgresPercent, PgBench.Result? pgbench)
    {
        var load = new LoadResult(TimeSpan.FromSeconds(10), vendsPerSecond * 10, 0, 0, [], new VendTally(), new LatencySamples(4));
        var check = new VendCheck(vendsPerSecond * 10, vendsPerSecond * 10, 0, 0, 0, 0, 0, [], 0, []);
        var postgres = new ProviderResult("postgres", load, new LatencySummary(1, 1, 1, 1), new CpuUse(100, vendPostgresPercent, 2), check);
        return new BenchReport(new BenchSettings(), [postgres], pgbench, []);
    }
}
