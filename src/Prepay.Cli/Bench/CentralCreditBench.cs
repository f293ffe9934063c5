using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Cli.Hosting;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Ingest;
using Prepay.Ledger.Accounts;
using Prepay.Server;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Storage.Records.Metering;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Samples;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench central-credit [--meters N] [--readings N] [--postgres CONN] [--sqlite-only]</c>: interval readings of
/// central-credit meters priced (the shipped time-of-use tariff: periods, the monthly capacity charge, VAT) and posted
/// to the ledger per second by the pricing rounds, beside the raw ingestion rate of the same readings measured in the
/// same run on the same database: the head-end's bulk writer (<see cref="ReadingWriter"/>) storing them. Prints the
/// ratio (target ≥ 0.5). Checks that every reading was priced once and the ledger's balances match its postings.
/// Exit code 1 when a check fails, 2 for bad options; a missed target is reported, not failed.
/// </summary>
public static class CentralCreditBench
{
    private static readonly Instant Start = Instant.FromUtc(2026, 8, 31, 22, 0); // 1 September 2026, 00:00 in Johannesburg

    public sealed record Settings(int Meters, int Readings, string? Postgres, bool SqliteOnly)
    {
        public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

        public string? Problem() =>
            Meters is < 1 or > 5000 ? "--meters must be 1 to 5000"
            : Readings is < 1 or > 10_000 ? "--readings must be 1 to 10000"
            : null;
    }

    public sealed record Result(string Provider, long Readings, TimeSpan Ingest, TimeSpan Priced, long PricedRows, long ChargedMinor, long CentralDebits, int LedgerErrors)
    {
        public double IngestPerSecond => Readings / Ingest.TotalSeconds;
        public double PricedPerSecond => Readings / Priced.TotalSeconds;
        public double Ratio => PricedPerSecond / IngestPerSecond;
        public bool Passed => PricedRows == Readings && ChargedMinor == CentralDebits && LedgerErrors == 0;
    }

    public static Command Create(Func<string?, string?> postgresProblem)
    {
        var meters = new Option<int>("--meters") { Description = "Central-credit meters (default 100)", DefaultValueFactory = _ => 100 };
        var readings = new Option<int>("--readings") { Description = "15-minute readings per meter (default 960, ten days)", DefaultValueFactory = _ => 960 };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL; without it only SQLite runs" };
        var sqliteOnly = new Option<bool>("--sqlite-only") { Description = "Run SQLite only, even with --postgres" };
        var command = new Command("central-credit", "Interval readings priced and posted per second by central credit, beside the raw ingestion rate of the same readings.")
        {
            meters, readings, postgres, sqliteOnly,
        };
        command.SetAction(async (r, ct) =>
        {
            var s = new Settings(r.GetValue(meters), r.GetValue(readings), r.GetValue(postgres), r.GetValue(sqliteOnly));
            if ((s.Problem() ?? postgresProblem(s.Postgres)) is { } problem)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var results = await RunAsync(s, Console.Out, ct);
            Write(results, Console.Out);
            return results.All(x => x.Passed) ? 0 : 1;
        });
        return command;
    }

    public static async Task<IReadOnlyList<Result>> RunAsync(Settings s, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        return await PostgresScratch.OnEachProviderAsync(s.SqliteOnly ? null : s.Postgres, s.RunId, "central", log,
            (provider, storage) => RunProviderAsync(provider, storage, s, log, ct), ct);
    }

    private static async Task<Result> RunProviderAsync(string provider, Dictionary<string, string?> settings, Settings s, TextWriter log, CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", s.RunId + "-central-" + provider);
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None";
        settings["Logging:LogLevel:Prepay.Vending.Tokens"] = "Error";
        settings["Mqtt:Port"] = "0";
        settings["Mqtt:CredentialSecret"] = "bench-" + s.RunId;
        // The bench runs the rounds itself, so that it times them.
        settings["CentralCredit:Worker"] = "false";
        try
        {
            log.WriteLine($"[{provider}] server with a fresh database, {s.Meters} central-credit meters");
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            var all = await AddCentralMetersAsync(app.Services, s.Meters + WarmUpMeters, ct);
            var meters = all.Take(s.Meters).ToList();
            await app.StartAsync(ct);
            try
            {
                var rows = Readings(meters, s.Readings);
                var round = app.Services.GetRequiredService<ConsumptionRound>();

                // Both paths once on meters of their own first, untimed, so neither figure pays for compiling code and queries.
                log.WriteLine($"[{provider}] warming up on {WarmUpMeters} other meters");
                var warm = Readings(all.Skip(s.Meters).ToList(), WarmUpReadings);
                await IngestAsync(app.Services, warm, ct);
                while (await round.RunOnceAsync(ct) > 0)
                {
                }

                log.WriteLine($"[{provider}] ingesting {rows.Count:N0} readings with the head-end's bulk writer");
                var ingest = await IngestAsync(app.Services, rows, ct);
                // Statistics as a running database has them (autovacuum's analyze): planned on the empty tables of a
                // fresh database, the round's statements would scan whole tables where they look up a key.
                await AnalyzeAsync(app.Services, ct);

                log.WriteLine($"[{provider}] pricing and posting them");
                var clock = Stopwatch.StartNew();
                while (await round.RunOnceAsync(ct) > 0)
                {
                }
                var priced = clock.Elapsed;

                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
                var pricedRows = await db.CentralCreditIntervals.LongCountAsync(ct);
                var charged = await db.CentralCreditIntervals.SumAsync(p => p.ChargedMinor, ct);
                var central = await db.Accounts.Where(a => a.Kind == AccountKind.MeterCentralCredit).SumAsync(a => a.Balance, ct);
                var errors = await LedgerStore.VerifyAsync(db, ct);
                return new Result(provider, rows.Count, ingest, priced, pricedRows - warm.Count, charged, -central, errors.Count);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private const int WarmUpMeters = 2;
    private const int WarmUpReadings = 600;

    private static List<IntervalReading> Readings(List<Guid> meters, int perMeter) =>
        meters.SelectMany((id, m) => Enumerable.Range(1, perMeter).Select(r => new IntervalReading
        {
            MeterId = id, At = Start + Duration.FromMinutes(15 * r), DeltaWh = 50 + (r * 37 + m) % 400, EnergyWh = r * 250L,
        })).ToList();

    /// <summary>The head-end's bulk writer on the readings, in its batches, every meter heard from before (steady running).</summary>
    private static async Task<TimeSpan> IngestAsync(IServiceProvider services, List<IntervalReading> rows, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var latest = new LatestStored();
        latest.Record(rows.GroupBy(r => r.MeterId).Select(g => new IntervalReading { MeterId = g.Key, At = g.Min(r => r.At) - Duration.Epsilon }).ToList());
        var clock = Stopwatch.StartNew();
        foreach (var chunk in rows.OrderBy(r => r.At).Chunk(ReadingIngestor.MaxBatch))
        {
            await ReadingWriter.WriteAsync(db, chunk, latest, ct);
        }
        return clock.Elapsed;
    }

    private static async Task AnalyzeAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PrepayDb>().Database.ExecuteSqlRawAsync("ANALYZE", ct);
    }

    /// <summary>
    /// Meters on the shipped time-of-use tariff, central credit from the readings' first instant, with no credit: their
    /// balances go below zero. Their accounts exist, as a switch to central creates them.
    /// </summary>
    private static async Task<List<Guid>> AddCentralMetersAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var numbers = await BenchMeters.AddAsync(services, 91_000_000_000L, count, ct);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = scope.ServiceProvider.GetRequiredService<IClock>().GetCurrentInstant();
        var tariff = TariffSamples.Load(TariffSamples.CommercialTimeOfUse) with { EffectiveFrom = new LocalDate(2026, 1, 1) };
        db.Tariffs.Add(new TariffVersion { Id = Guid.CreateVersion7(), Code = tariff.Code, Version = tariff.Version, EffectiveFrom = tariff.EffectiveFrom, Currency = tariff.Currency.Code, Document = TariffDocumentJson.Serialize(tariff), CreatedAt = now });
        foreach (var (_, id) in numbers)
        {
            db.TariffAssignments.Add(new TariffAssignment { Id = Guid.CreateVersion7(), MeterId = id, TariffCode = tariff.Code, EffectiveFrom = Start - Duration.FromDays(1) });
            db.MeterCreditModels.Add(new MeterCreditModelRecord { MeterId = id, Model = MeterCreditModelRecord.Central, EffectiveFrom = Start, Actor = "system:bench", Reason = "central credit bench", RecordedAt = now });
            db.CentralCreditStates.Add(new CentralCreditStateRecord { MeterId = id, PricedFrom = Start, ChangedAt = now });
        }
        await db.SaveChangesAsync(ct);
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerStore>();
        foreach (var (_, id) in numbers)
        {
            await ledger.EnsureAsync(db, [AccountCode.MeterCentralCredit(id, tariff.Currency.Code), AccountCode.EnergyRevenue(tariff.Currency.Code),
                .. tariff.Taxes.Select(t => AccountCode.Tax(t.Name, tariff.Currency.Code))], ct);
        }
        return numbers.Select(n => n.Id).ToList();
    }

    public static void Write(IReadOnlyList<Result> results, TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine();
        o.WriteLine("Central credit: committed interval readings priced (time of use, monthly charge, VAT) and posted to the ledger");
        o.WriteLine($"{"provider",-9} {"readings",9} {"ingest s",9} {"ingest/s",10} {"priced s",9} {"priced/s",10} {"ratio",6}  check");
        foreach (var r in results)
        {
            o.WriteLine($"{r.Provider,-9} {r.Readings,9:N0} {r.Ingest.TotalSeconds,9:0.00} {r.IngestPerSecond,10:N0} {r.Priced.TotalSeconds,9:0.00} {r.PricedPerSecond,10:N0} {r.Ratio,6:0.00}  " +
                (r.Passed ? $"ok: {r.PricedRows:N0} priced once, {r.ChargedMinor:N0} minor units charged = taken from the central balances" : $"FAILED: {r.PricedRows:N0} priced of {r.Readings:N0}, charged {r.ChargedMinor:N0}, central balances down {r.CentralDebits:N0}, {r.LedgerErrors} ledger errors"));
            o.WriteLine($"{"",-9} target: ratio >= 0.5 {(r.Ratio >= 0.5 ? "met" : "MISSED")}");
        }
        o.WriteLine("ingest = the head-end's bulk writer storing the same readings (batches of 5,000, meters heard from before; each reading of a central meter is queued for pricing in the same statement): the raw ingestion rate.");
        o.WriteLine("priced = pricing rounds (one write transaction per batch, one ledger transaction per meter per batch) until none is left.");
        o.WriteLine($"Both are timed after a warm-up on {WarmUpMeters} other meters ({WarmUpReadings} readings each, written and priced the same way, counted in the checks only).");
    }
}
