using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Server;
using Prepay.Server.Demo;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Vending;
using Prepay.Vending.Floats;

namespace Prepay.Cli.Bench;

/// <summary>One provider's figures: the timed load, the CPU split, and what the database says about it.</summary>
public sealed record ProviderResult(string Provider, LoadResult Load, LatencySummary Latency, CpuUse Cpu, VendCheck Check)
{
    public bool Passed => Check.Passed && Load.Errors == 0;
}

/// <summary>
/// A real server in this process on 127.0.0.1:0 with a fresh database, the demo data seeded, a warm-up, the timed
/// load, and the check of the database against what the clients were told.
/// </summary>
public static class ProviderRun
{
    /// <summary>Each vend's amount; the app vendor's float is topped up so that the run cannot exhaust it.</summary>
    public const string VendAmount = "10.00";

    private const double RetryShare = 0.05;
    private const int MaxVendsPerSecondFunded = 20_000;

    /// <summary>Numbers of the meters added beyond the demo ones (11 digits, clear of the demo data).</summary>
    private const long FirstFleetMeter = 71_000_000_000;

    public static async Task<ProviderResult> RunAsync(string provider, IReadOnlyDictionary<string, string?> storage, BenchSettings s, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(log);
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", s.RunId + "-" + provider);
        var settings = new Dictionary<string, string?>(storage)
        {
            ["RateLimit:PermitsPerSecond"] = "1000000",
            ["RateLimit:Burst"] = "1000000",
            ["RateLimit:PerAddressPermitsPerSecond"] = "1000000",
            ["RateLimit:PerAddressBurst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // Its own embedded broker on a free port: never collide with a running `prepay serve` or demo on 1883.
            ["Mqtt:Port"] = "0",
            // Simulated meters live hours in seconds: lift the per-meter limits a real meter would never meet.
            ["Mqtt:Limits:MessagesPerMinute"] = "10000000",
            ["Mqtt:Limits:EventsPerMinute"] = "10000000",
        };
        try
        {
            log.WriteLine($"[{provider}] starting the server on 127.0.0.1 with a fresh database");
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            log.WriteLine($"[{provider}] seeding the demo data");
            var keys = await DemoData.SeedAsync(app.Services, dataDir, ct);
            var (meters, vendorId) = await PrepareVendsAsync(app.Services, s, ct);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = s.Clients, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys.App);
            var load = new VendLoad(http, meters, VendAmount, $"bench-{s.RunId}", RetryShare, s.Seed);

            log.WriteLine($"[{provider}] warming up for {s.Warmup.TotalSeconds:0.#} s ({s.Clients} clients, {meters.Count} meters)");
            var warmup = await load.RunAsync("w", s.Clients, s.Warmup, ct);

            log.WriteLine($"[{provider}] running {s.Duration.TotalSeconds:0} s");
            var before = CpuUse.Take();
            var measured = await WithLiveLineAsync(provider, load, s.Duration, log, load.RunAsync("t", s.Clients, s.Duration, ct));
            var cpu = CpuUse.Between(before, CpuUse.Take());

            log.WriteLine($"[{provider}] checking the database against {measured.Vends + warmup.Vends:N0} acknowledged vends");
            var tally = new VendTally();
            tally.Add(warmup.Tally);
            tally.Add(measured.Tally);
            var check = await CheckAsync(app.Services, vendorId, tally, ct);
            await app.StopAsync(ct);
            var errors = warmup.Errors + measured.Errors;
            var all = measured with { Errors = errors, ErrorSamples = [.. warmup.ErrorSamples, .. measured.ErrorSamples] };
            return new ProviderResult(provider, all, LatencySummary.From(measured.Latencies), cpu, check);
        }
        finally
        {
            TryDelete(dataDir);
        }
    }

    /// <summary>The meters to spread over and the app vendor, its float topped up for the longest run.</summary>
    private static async Task<(IReadOnlyList<string> Meters, Guid VendorId)> PrepareVendsAsync(IServiceProvider services, BenchSettings s, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meters = await db.Meters.AsNoTracking().OrderBy(m => m.MeterNumber).Select(m => m.MeterNumber).Take(s.Meters).ToListAsync(ct);
        if (s.Meters > meters.Count)
        {
            meters.AddRange(await BenchMeters.AddInstalledAsync(services, FirstFleetMeter, s.Meters - meters.Count, ct));
        }
        var vendorId = await db.Vendors.Where(v => v.Code == DemoData.AppVendor).Select(v => v.Id).SingleAsync(ct);
        var seconds = (long)Math.Ceiling((s.Warmup + s.Duration).TotalSeconds);
        var topUp = checked(seconds * MaxVendsPerSecondFunded * 10);
        var floats = scope.ServiceProvider.GetRequiredService<FloatService>();
        var outcome = await floats.SystemDepositAsync(vendorId, $"bench-{s.RunId}-float", topUp.ToString(CultureInfo.InvariantCulture) + ".00",
            "benchmark float top-up", "bench", ct);
        if (outcome is not FloatService.Outcome.Done)
        {
            throw new InvalidOperationException($"Topping up the {DemoData.AppVendor} float failed: {outcome}");
        }
        return (meters, vendorId);
    }

    private static async Task<VendCheck> CheckAsync(IServiceProvider services, Guid vendorId, VendTally tally, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var stored = await db.Vends.AsNoTracking().Where(v => v.VendorId == vendorId)
            .Select(v => new StoredVend(v.IdempotencyKey, v.Id)).ToListAsync(ct);
        var ledger = await LedgerStore.VerifyAsync(db, ct);
        var sum = await db.Accounts.AsNoTracking().SumAsync(a => a.Balance, ct);
        return VendCheck.From(tally, stored, ledger, sum);
    }

    /// <summary>Prints a line every few seconds while the load runs: vends so far, the rate since the last line, errors.</summary>
    private static async Task<LoadResult> WithLiveLineAsync(string provider, VendLoad load, TimeSpan duration, TextWriter log, Task<LoadResult> run)
    {
        var every = TimeSpan.FromSeconds(3);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = 0;
        var lastAt = TimeSpan.Zero;
        while (await Task.WhenAny(run, Task.Delay(every)) != run)
        {
            var now = clock.Elapsed;
            var vends = load.Vends;
            var rate = (vends - last) / (now - lastAt).TotalSeconds;
            log.WriteLine($"[{provider}] {now.TotalSeconds,4:0} s of {duration.TotalSeconds:0}: {vends,8:N0} vends, {rate,7:N0}/s now, {load.Errors} errors");
            (last, lastAt) = (vends, now);
        }
        return await run;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
