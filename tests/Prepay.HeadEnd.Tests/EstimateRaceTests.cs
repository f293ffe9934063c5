using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Ingest.Quality;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Two nodes on a shared subscription: one commits an estimate for an interval while the other holds that interval's
/// real reading, in either order. The database lets the real reading win: it replaces the estimate with one exact
/// adjustment, and an estimate never displaces a real reading. "Another node" here is what a node does with a
/// validated batch (<see cref="ReadingWriter"/>), on the same database, without this node's in-memory history
/// hearing of it; this node's reading goes the normal ingestion path.
/// </summary>
public abstract class EstimateRaceTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Instant Midnight = Instant.FromUtc(2026, 11, 23, 0, 0);

    private static Instant End(int quarter) => Midnight + Duration.FromMinutes(15 * quarter);

    private static MeterReading Reading(int quarter, long register, long energy) =>
        new(End(quarter), new Energy(register), new Energy(energy), new Energy(40_000), 2300, 1100, 253);

    private ReadingIngestor Ingestor => server.Services.GetRequiredService<ReadingIngestor>();

    /// <summary>This node ingests a meter's readings and waits until they are committed.</summary>
    private async Task IngestAsync(string meter, params MeterReading[] readings)
    {
        var handled = await server.Services.GetRequiredService<MeterMessageHandler>().IngestAsync(meter, new IntervalReadings(readings), Ct);
        await handled.Stored;
    }

    /// <summary>Another node commits a row for the meter's interval ending at <paramref name="quarter"/>.</summary>
    private async Task OtherNodeCommitsAsync(Guid meterId, int quarter, long register, long energy, string quality, string? rule)
    {
        var batch = new ValidatedBatch();
        batch.Inserts.Add(new IntervalReading
        {
            MeterId = meterId, At = End(quarter), EnergyWh = register, DeltaWh = energy, Quality = quality, QualityRule = rule,
        });
        await using var scope = server.Scope();
        await ReadingWriter.WriteAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), batch, server.Clock.GetCurrentInstant(), null, Ct);
    }

    private async Task<(Guid Id, List<IntervalReading> Rows, List<ReadingAdjustment> Adjustments)> StoredAsync(string meter)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var id = await db.Meters.Where(m => m.MeterNumber == meter).Select(m => m.Id).SingleAsync(Ct);
        var rows = await db.Readings.AsNoTracking().Where(r => r.MeterId == id).OrderBy(r => r.At).ToListAsync(Ct);
        var adjustments = await db.ReadingAdjustments.AsNoTracking().Where(a => a.MeterId == id).OrderBy(a => a.Id).ToListAsync(Ct);
        return (id, rows, adjustments);
    }

    private (long Accepted, long Written, long Duplicates, long Estimated) Counters() =>
        (Ingestor.Accepted, Ingestor.Totals.Written, Ingestor.Totals.Duplicates, Ingestor.Estimated);

    [Fact]
    public async Task A_real_reading_replaces_an_estimate_another_node_committed_first_with_one_exact_adjustment()
    {
        server.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        await IngestAsync(s.MeterNumber, Reading(1, 1000, 100));
        var (id, _, _) = await StoredAsync(s.MeterNumber);

        // The other node saw 00:15 and 01:00 and estimated 00:30 at 100 Wh; this node still knows 00:15 as the
        // meter's latest, so its validation cannot see that estimate when the real 00:30 (130 Wh) arrives here.
        await OtherNodeCommitsAsync(id, 2, 1100, 100, "estimated", "linear");
        var before = Counters();
        await IngestAsync(s.MeterNumber, Reading(2, 1130, 130));

        var (_, rows, adjustments) = await StoredAsync(s.MeterNumber);
        Assert.Equal([(End(1), "valid", 1000L, 100L), (End(2), "valid", 1130L, 130L)], rows.Select(r => (r.At, r.Quality, r.EnergyWh, r.DeltaWh)));
        Assert.Null(rows[1].QualityRule);
        var adjustment = Assert.Single(adjustments);
        Assert.Equal((End(2), 100L, 130L, "replaced"), (adjustment.At, adjustment.PreviousWh, adjustment.NewWh, adjustment.Cause));
        Assert.Equal(30L, adjustment.NewWh - adjustment.PreviousWh);
        var after = Counters();
        Assert.Equal((1L, 1L, 0L, 0L), (after.Accepted - before.Accepted, after.Written - before.Written, after.Duplicates - before.Duplicates, after.Estimated - before.Estimated));

        // The same real reading again is a resend: nothing changes, no second adjustment.
        await IngestAsync(s.MeterNumber, Reading(2, 1130, 130));
        Assert.Single((await StoredAsync(s.MeterNumber)).Adjustments);
    }

    [Fact]
    public async Task An_estimate_this_node_makes_for_an_interval_another_node_stored_for_real_displaces_nothing()
    {
        server.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        await IngestAsync(s.MeterNumber, Reading(1, 1000, 100));
        var (id, _, _) = await StoredAsync(s.MeterNumber);

        // The real 00:30 was stored by the other node; this node, knowing 00:15 as the latest, sees 00:45 arrive
        // after a gap and estimates 00:30 (register 1 130 at 00:45's start: 130 Wh). The real row stands.
        await OtherNodeCommitsAsync(id, 2, 1120, 120, "valid", null);
        var before = Counters();
        await IngestAsync(s.MeterNumber, Reading(3, 1230, 100));

        var (_, rows, adjustments) = await StoredAsync(s.MeterNumber);
        Assert.Equal([(End(1), "valid", 100L), (End(2), "valid", 120L), (End(3), "valid", 100L)], rows.Select(r => (r.At, r.Quality, r.DeltaWh)));
        Assert.Empty(adjustments);

        // The meter sent one reading and it was stored: written once; the estimate that was not needed is neither
        // stored nor a duplicate of anything the meter sent.
        var after = Counters();
        Assert.Equal((1L, 1L, 0L, 0L), (after.Accepted - before.Accepted, after.Written - before.Written, after.Duplicates - before.Duplicates, after.Estimated - before.Estimated));
    }
}

public sealed class EstimateRaceSqliteTests(EstimatingSqliteServer server) : EstimateRaceTests(server), IClassFixture<EstimatingSqliteServer>;

public sealed class EstimateRacePostgresTests(EstimatingPostgresServer server) : EstimateRaceTests(server), IClassFixture<EstimatingPostgresServer>;
