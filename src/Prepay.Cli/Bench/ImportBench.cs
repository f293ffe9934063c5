using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Catalog.Imports;
using Prepay.Cli.Hosting;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Server;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Samples;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench import [--rows 10000] [--postgres CONN]</c>: an installations file of N meters with their customers
/// and units (20 sites) imported through <see cref="CatalogImport"/> on a fresh database, the dry run, the import and a
/// second import (which must change nothing) timed apart, with the bytes allocated and the process's peak resident
/// memory; beside the reference measured in the same run on another fresh database: the same sites, units, customers,
/// meters, tariff assignments and installations added by EF Core in one transaction without a check. Prints import ÷
/// reference. Exit code 1 when the import or the re-import does not do what it must.
/// </summary>
public static class ImportBench
{
    public sealed record Settings(int Rows, string? Postgres)
    {
        public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

        public string? Problem() => Rows is < 1 or > 100_000 ? "--rows must be 1 to 100000" : null;
    }

    public sealed record Result(string Provider, int Rows, long Bytes, TimeSpan DryRun, TimeSpan Import, TimeSpan Again, TimeSpan Reference, long AllocatedBytes, long? PeakResidentBytes, bool Passed, string Check)
    {
        public double Ratio => Reference / Import;
    }

    public static Command Create(Func<string?, string?> postgresProblem)
    {
        var rows = new Option<int>("--rows") { Description = "Meters in the file (default 10000, at most 100000)", DefaultValueFactory = _ => 10_000 };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL; without it only SQLite runs" };
        var command = new Command("import", "An installations file of N meters imported (dry run, import, again) beside the same rows added without a check.") { rows, postgres };
        command.SetAction(async (r, ct) =>
        {
            var s = new Settings(r.GetValue(rows), r.GetValue(postgres));
            if ((s.Problem() ?? postgresProblem(s.Postgres)) is { } problem)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var results = await PostgresScratch.OnEachProviderAsync(s.Postgres, s.RunId, "import", Console.Out, (provider, storage) => RunAsync(provider, storage, s, Console.Out, ct), ct);
            Write(results, Console.Out);
            return results.All(x => x.Passed) ? 0 : 1;
        });
        return command;
    }

    /// <summary>The file: <paramref name="rows"/> token meters at 20 sites, each unit with its customer, on <paramref name="tariff"/>.</summary>
    public static string File(int rows, string tariff)
    {
        var csv = new StringBuilder(string.Join(',', InstallationsCsv.Columns)).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var site = i % 20;
            csv.Append(CultureInfo.InvariantCulture, $"BENCH-{site},Bench estate {site},residentialCommunity,U-{i / 20:00000},Household {i},+27 82 555 {i % 10_000:0000},h{i}@example.org,93{i:000000000},token,ZAR,{tariff},600727,1,1,sta,1993\n");
        }
        return csv.ToString();
    }

    private static async Task<Result> RunAsync(string provider, Dictionary<string, string?> settings, Settings s, TextWriter log, CancellationToken ct)
    {
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None";
        settings["Mqtt:Port"] = "0";
        settings["Mqtt:CredentialSecret"] = "bench-" + s.RunId;
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", s.RunId + "-import-" + provider);
        try
        {
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            var tariff = await TariffAsync(app.Services, ct);
            var file = File(s.Rows, tariff);
            var import = app.Services.GetRequiredService<CatalogImport>();
            // Once on a small file of other meters, untimed: compiling code and queries is not the import's cost.
            await import.RunAsync(new StringReader(File(50, tariff).Replace("BENCH-", "WARM-", StringComparison.Ordinal).Replace(",93", ",94", StringComparison.Ordinal)), false, Prepay.Vending.Actor.System("bench"), ct);
            log.WriteLine($"[{provider}] importing {s.Rows:N0} meters ({file.Length / 1024:N0} KiB)");
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var dry = await import.RunAsync(new StringReader(file), true, Prepay.Vending.Actor.System("bench"), ct);
            var dryRun = clock.Elapsed;
            clock.Restart();
            var done = await import.RunAsync(new StringReader(file), false, Prepay.Vending.Actor.System("bench"), ct);
            var imported = clock.Elapsed;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            clock.Restart();
            var again = await import.RunAsync(new StringReader(file), false, Prepay.Vending.Actor.System("bench"), ct);
            var againTook = clock.Elapsed;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var check = (dry, done, again) switch
            {
                (ImportOutcome.Checked { Plan.Meters: var m1 }, ImportOutcome.Imported { Plan.Meters: var m2 }, ImportOutcome.Imported { Plan.Unchanged: var u })
                    when m1 == s.Rows && m2 == s.Rows && u == s.Rows => "ok: dry run planned them all, the import made them all, the second changed nothing",
                _ => $"FAILED: {dry} / {done} / {again}",
            };
            log.WriteLine($"[{provider}] reference: the same rows added without a check");
            var reference = await ReferenceAsync(provider, settings, s, tariff, dataDir + "-ref", ct);
            return new Result(provider, s.Rows, file.Length, dryRun, imported, againTook, reference, allocated, peak, check.StartsWith("ok", StringComparison.Ordinal), check);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    // Another fresh database (a fresh scratch database on PostgreSQL would cost its creation: the sites are named apart
    // instead), the same entities added by EF Core in one transaction: no CSV, no check, no lookups.
    private static async Task<TimeSpan> ReferenceAsync(string provider, Dictionary<string, string?> settings, Settings s, string tariff, string dataDir, CancellationToken ct)
    {
        try
        {
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var now = scope.ServiceProvider.GetRequiredService<IClock>().GetCurrentInstant();
            var clock = Stopwatch.StartNew();
            await using var tx = await db.BeginWriteAsync(ct);
            var sites = Enumerable.Range(0, 20).Select(i => new Site { Id = Guid.CreateVersion7(), Code = $"REF-{provider}-{i}", Name = $"Bench estate {i}", Kind = SiteKind.ResidentialCommunity, CreatedAt = now }).ToList();
            db.Sites.AddRange(sites);
            for (var i = 0; i < s.Rows; i++)
            {
                var customer = new Customer { Id = Guid.CreateVersion7(), Name = $"Household {i}", Phone = $"+27 82 555 {i % 10_000:0000}", Email = $"h{i}@example.org", CreatedAt = now };
                var premises = new Premises { Id = Guid.CreateVersion7(), SiteId = sites[i % 20].Id, Label = $"U-{i / 20:00000}", CreatedAt = now };
                premises.AssignCustomer(customer.Id, now);
                var meter = new Prepay.Domain.Metering.Meter
                {
                    Id = Guid.CreateVersion7(), MeterNumber = $"95{i:000000000}", Mode = MeterMode.Token, Currency = "ZAR", ResolutionWh = 100, SupplyGroupCode = 600727,
                    KeyRevisionNumber = 1, TariffIndex = 1, KeyType = StsParameters.Default.KeyType, EncryptionAlgorithm = StsEncryptionAlgorithm.Sta, BaseDate = StsBaseDate.Y1993, CreatedAt = now,
                };
                db.Customers.Add(customer);
                db.Premises.Add(premises);
                db.Meters.Add(meter);
                db.TariffAssignments.Add(new TariffAssignment { Id = Guid.CreateVersion7(), MeterId = meter.Id, TariffCode = tariff, EffectiveFrom = now });
                db.MeterInstallations.Add(new MeterInstallation { Id = Guid.CreateVersion7(), MeterId = meter.Id, PremisesId = premises.Id, InstalledAt = now });
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return clock.Elapsed;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    private static async Task<string> TariffAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = scope.ServiceProvider.GetRequiredService<IClock>().GetCurrentInstant();
        var tariff = TariffSamples.Load(TariffSamples.CommercialTimeOfUse) with { EffectiveFrom = new LocalDate(2026, 1, 1) };
        if (!await db.Tariffs.AnyAsync(t => t.Code == tariff.Code, ct))
        {
            db.Tariffs.Add(new TariffVersion { Id = Guid.CreateVersion7(), Code = tariff.Code, Version = tariff.Version, EffectiveFrom = tariff.EffectiveFrom, Currency = tariff.Currency.Code, Document = TariffDocumentJson.Serialize(tariff), CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }
        return tariff.Code;
    }

    public static void Write(IReadOnlyList<Result> results, TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine();
        o.WriteLine("Catalog import: an installations file of meters with their customers and units");
        o.WriteLine($"{"provider",-9} {"rows",7} {"KiB",6} {"dry run s",10} {"import s",9} {"again s",8} {"reference s",12} {"ratio",6} {"allocated MiB",14} {"peak RSS MiB",13}  check");
        foreach (var r in results)
        {
            o.WriteLine($"{r.Provider,-9} {r.Rows,7:N0} {r.Bytes / 1024,6:N0} {r.DryRun.TotalSeconds,10:0.00} {r.Import.TotalSeconds,9:0.00} {r.Again.TotalSeconds,8:0.00} {r.Reference.TotalSeconds,12:0.00} {r.Ratio,6:0.00} {r.AllocatedBytes / 1048576.0,14:N0} {(r.PeakResidentBytes ?? 0) / 1048576.0,13:N0}  {r.Check}");
        }
        o.WriteLine("import = the file read, every cell and row checked against the file and the database, and every entity added in one transaction with its audit record.");
        o.WriteLine("reference = the same sites, units, customers, meters, tariff assignments and installations added by EF Core in one transaction, no file, no check; ratio = reference ÷ import.");
        o.WriteLine("allocated = bytes allocated by the dry run and the import together; peak RSS = the whole process's (server, both databases' work, this bench).");
    }
}
