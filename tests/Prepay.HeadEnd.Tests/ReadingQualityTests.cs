using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Readings validated as they are ingested (any transport: through <see cref="MeterMessageHandler.IngestAsync(string, MeterUplink, CancellationToken)"/>),
/// gaps estimated and replaced with their adjustments, and the operators' data-quality view and audited edit.
/// </summary>
public abstract class ReadingQualityTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Instant Midnight = Instant.FromUtc(2026, 11, 23, 0, 0);

    private static MeterReading Reading(int quarter, long register, long energy) =>
        new(Midnight + Duration.FromMinutes(15 * quarter), new Energy(register), new Energy(energy), new Energy(40_000), 2300, 1100, 253);

    private Task SendAsync(string meter, params MeterReading[] readings) =>
        server.Services.GetRequiredService<MeterMessageHandler>().IngestAsync(meter, new IntervalReadings(readings), Ct);

    /// <summary>The meter's rows, oldest first, once <paramref name="done"/> holds (the ingestor writes in the background).</summary>
    private async Task<List<IntervalReading>> RowsAsync(string meter, Func<List<IntervalReading>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var rows = await db.Readings.AsNoTracking().Where(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == meter).Id).OrderBy(r => r.At).ToListAsync(Ct);
            if (done(rows) || DateTime.UtcNow > deadline)
            {
                return rows;
            }
            await Task.Delay(50, Ct);
        }
    }

    private async Task<List<ReadingAdjustment>> AdjustmentsAsync(string meter)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.ReadingAdjustments.AsNoTracking().Where(a => a.MeterId == db.Meters.Single(m => m.MeterNumber == meter).Id).OrderBy(a => a.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_gap_is_stored_as_estimates_that_the_real_values_replace_with_an_exact_adjustment()
    {
        var s = await CreateAsync(server, mode: "smart");
        await SendAsync(s.MeterNumber, Reading(1, 1000, 100));
        await RowsAsync(s.MeterNumber, r => r.Count == 1);

        // 01:15 after 00:15: the three quarters between are missing. At 01:15's start the register read 1 300,
        // so 300 Wh were used in them: 100 each, flagged estimated.
        await SendAsync(s.MeterNumber, Reading(5, 1400, 100));
        var rows = await RowsAsync(s.MeterNumber, r => r.Count == 5);
        Assert.Equal(["valid", "estimated", "estimated", "estimated", "valid"], rows.Select(r => r.Quality));
        Assert.Equal([100L, 100, 100, 100, 100], rows.Select(r => r.DeltaWh));
        Assert.All(rows.Where(r => r.Quality == "estimated"), r => Assert.Equal("linear", r.QualityRule));

        // The real 00:45 arrives late: 150 Wh. It replaces the estimate; central credit is owed +50 Wh for it.
        await SendAsync(s.MeterNumber, Reading(3, 1250, 150));
        rows = await RowsAsync(s.MeterNumber, r => r[2].Quality == "valid");
        Assert.Equal(("valid", 150L, 1250L), (rows[2].Quality, rows[2].DeltaWh, rows[2].EnergyWh));
        var adjustment = Assert.Single(await AdjustmentsAsync(s.MeterNumber));
        Assert.Equal((rows[2].At, 100L, 150L, "replaced"), (adjustment.At, adjustment.PreviousWh, adjustment.NewWh, adjustment.Cause));

        // Sent again, it is a duplicate: nothing changes and no second adjustment.
        var ingestor = server.Services.GetRequiredService<ReadingIngestor>();
        var before = ingestor.Totals.Duplicates;
        await SendAsync(s.MeterNumber, Reading(3, 1250, 150));
        while (ingestor.Totals.Duplicates == before)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Single(await AdjustmentsAsync(s.MeterNumber));
    }

    [Fact]
    public async Task Operators_see_a_meters_data_quality_and_an_admin_edits_an_interval_with_a_reason_audited()
    {
        var s = await CreateAsync(server, mode: "smart");
        await SendAsync(s.MeterNumber, Reading(1, 1000, 100), Reading(2, 9000, 8000), Reading(3, 9100, 100));
        await RowsAsync(s.MeterNumber, r => r.Count == 3);

        using var admin = server.Client();
        var operatorKey = (await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "operator-" + Guid.NewGuid().ToString("N"), role = "operator" }, Ct)))["key"]!.GetValue<string>();
        using var operatorClient = server.Client(operatorKey);
        var report = await operatorClient.GetFromJsonAsync<JsonObject>($"/api/v1/meters/{s.MeterNumber}/data-quality?from=2026-11-23T00:00:00Z&to=2026-11-23T06:00:00Z", Ct);
        var flagged = Assert.Single(report!["flagged"]!.AsArray());
        Assert.Equal(("suspect", "spike"), (flagged!["quality"]!.GetValue<string>(), flagged["rule"]!.GetValue<string>()));
        Assert.Equal("2026-11-23T00:15:00Z", flagged["intervalStart"]!.GetValue<string>());
        Assert.Contains(report["counts"]!.AsArray(), c => c!["quality"]!.GetValue<string>() == "valid" && c["count"]!.GetValue<int>() == 2);

        // An operator may look but not edit; an edit without a reason is refused and writes nothing.
        var path = $"/api/v1/meters/{s.MeterNumber}/readings/2026-11-23T00:15:00Z/edit";
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync(path, new { energyWh = 100, reason = "meter swap" }, Ct)).StatusCode);
        var refused = await admin.PostAsJsonAsync(path, new { energyWh = 100, reason = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await AdjustmentsAsync(s.MeterNumber));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/readings/2026-11-23T03:30:00Z/edit", new { energyWh = 1, reason = "x" }, Ct)).StatusCode);

        var edited = await admin.PostAsJsonAsync(path, new { energyWh = 100, registerWh = 1100, reason = "register misread; confirmed on site" }, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var rows = await RowsAsync(s.MeterNumber, _ => true);
        Assert.Equal(("edited", 100L, 1100L), (rows[1].Quality, rows[1].DeltaWh, rows[1].EnergyWh));
        var adjustment = Assert.Single(await AdjustmentsAsync(s.MeterNumber));
        Assert.Equal((8000L, 100L, "edited"), (adjustment.PreviousWh, adjustment.NewWh, adjustment.Cause));
        await using var scope = server.Scope();
        var audit = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Audit.AsNoTracking()
            .SingleAsync(a => a.Action == "reading.edit" && a.Target == $"meter/{s.MeterNumber}/reading/2026-11-23T00:15:00Z", Ct);
        Assert.Contains("register misread; confirmed on site", audit.Details, StringComparison.Ordinal);
    }
}

public sealed class ReadingQualitySqliteTests(EstimatingSqliteServer server) : ReadingQualityTests(server), IClassFixture<EstimatingSqliteServer>;

public sealed class ReadingQualityPostgresTests(EstimatingPostgresServer server) : ReadingQualityTests(server), IClassFixture<EstimatingPostgresServer>;
