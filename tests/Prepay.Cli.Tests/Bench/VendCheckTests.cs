using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class VendCheckTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static VendTally Told()
    {
        var tally = new VendTally();
        tally.Acknowledged.Add(new AcknowledgedVend("k1", A));
        tally.Acknowledged.Add(new AcknowledgedVend("k2", B));
        tally.Retries.Add(new RetryAnswer("k1", A, A));
        return tally;
    }

    private static readonly StoredVend[] Kept = [new("k1", A), new("k2", B)];

    [Fact]
    public void Database_holding_exactly_what_was_acknowledged_passes()
    {
        var check = VendCheck.From(Told(), Kept, [], 0);

        Assert.True(check.Passed);
        Assert.Equal((0, 0, 0), (check.Lost, check.Doubled, check.RetryMismatches));
    }

    [Fact]
    public void Acknowledged_vend_missing_from_the_database_is_lost()
    {
        var check = VendCheck.From(Told(), [Kept[0]], [], 0);

        Assert.False(check.Passed);
        Assert.Equal(1, check.Lost);
    }

    [Fact]
    public void Acknowledged_vend_stored_under_another_id_is_lost()
    {
        var check = VendCheck.From(Told(), [Kept[0], new("k2", C)], [], 0);

        Assert.Equal(1, check.Lost);
        Assert.False(check.Passed);
    }

    [Fact]
    public void Second_row_for_a_key_or_a_row_for_a_key_never_sent_is_doubled()
    {
        Assert.Equal(1, VendCheck.From(Told(), [.. Kept, new("k1", C)], [], 0).Doubled);
        Assert.Equal(1, VendCheck.From(Told(), [.. Kept, new("k9", C)], [], 0).Doubled);
    }

    [Fact]
    public void Retry_answered_with_a_new_vend_fails()
    {
        var tally = Told();
        tally.Retries.Add(new RetryAnswer("k2", B, C));

        var check = VendCheck.From(tally, Kept, [], 0);

        Assert.Equal(1, check.RetryMismatches);
        Assert.False(check.Passed);
    }

    [Fact]
    public void Vend_stored_after_its_client_saw_an_error_is_not_a_fault()
    {
        var tally = Told();
        tally.FailedKeys.Add("k3");

        var check = VendCheck.From(tally, [.. Kept, new("k3", C)], [], 0);

        Assert.True(check.Passed);
        Assert.Equal(1, check.Unacknowledged);
    }

    [Fact]
    public void Ledger_that_does_not_verify_or_balance_fails()
    {
        Assert.False(VendCheck.From(Told(), Kept, ["float: kept 10, postings say 0"], 0).Passed);
        Assert.False(VendCheck.From(Told(), Kept, [], 1).Passed);
    }

    [Fact]
    public void Pgbench_tps_is_read_from_the_line_without_connection_time()
    {
        const string output = """
            number of transactions actually processed: 61234
            latency average = 3.912 ms
            initial connection time = 12.345 ms
            tps = 4089.123456 (without initial connection time)
            """;

        Assert.Equal(4089.123456, PgBench.ParseTps(output), 6);
        Assert.Throws<InvalidOperationException>(() => PgBench.ParseTps("connection refused"));
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_all_samples()
    {
        var samples = new LatencySamples(4);
        for (var i = 100; i >= 1; i--)
        {
            samples.Add(i * System.Diagnostics.Stopwatch.Frequency / 1000);
        }

        var summary = LatencySummary.From(samples);

        Assert.Equal(100, summary.Samples);
        Assert.Equal(50, summary.P50Ms, 6);
        Assert.Equal(99, summary.P99Ms, 6);
        Assert.Equal(100, summary.MaxMs, 6);
    }
}
