using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public sealed class IngestBenchTests
{
    /// <summary>
    /// The ingestion bench on SQLite end to end: every distinct reading committed once, the repeats refused, and the raw
    /// reference table built from the readings table's own schema (its table and indexes, not its triggers) and filled.
    /// </summary>
    [Fact]
    public async Task A_small_ingest_run_commits_every_reading_once_and_fills_its_raw_reference()
    {
        var log = new StringWriter();
        var results = await IngestBench.RunAsync(new IngestBench.Settings(Meters: 3, Readings: 40, Batch: 10, DuplicatePercent: 10, Postgres: null, SqliteOnly: true),
            log, TestContext.Current.CancellationToken);
        var result = Assert.Single(results);
        Assert.True(result.Passed, log.ToString());
        Assert.Equal(120, result.Distinct);
    }
}
