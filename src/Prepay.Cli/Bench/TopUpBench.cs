using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Cli.Hosting;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Server;
using Prepay.Server.Demo;
using Prepay.Simulator.Agents;
using Prepay.Storage;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench topup [--meters N] [--topups N] [--rate R] [--postgres CONN] [--json]</c>: how long a top-up takes
/// to close the meter's relay while a fleet runs. A Prepay server (SQLite, or PostgreSQL with --postgres) with its
/// embedded broker, a fleet of smart virtual meters publishing readings, a set of them run down to zero credit; then
/// <c>POST /api/v1/vends</c> for each at a steady rate, timed from sending the request to the moment the virtual meter
/// closes its relay. Beside it, in the same run and at the same rate, a bare MQTT publish to a meter's client through
/// the same broker. Server, fleet and clients share this process and its clock. Exit code 1 when a check fails
/// (a top-up that never closed the relay, an HTTP error), 2 for bad options; a missed aim is reported, not failed.
/// </summary>
public static class TopUpBench
{
    private const long FirstMeter = 92_000_000_000;

    public static Command Create(Func<string?, string?> postgresProblem)
    {
        var meters = new Option<int>("--meters") { Description = "Smart virtual meters in the fleet (default 1000, at most 5000)", DefaultValueFactory = _ => 1000 };
        var topups = new Option<int>("--topups") { Description = $"Top-ups measured, each to a meter of its own run down to zero (default 300; {TopUpSettings.WarmUp} more warm up first)", DefaultValueFactory = _ => 300 };
        var rate = new Option<double>("--rate") { Description = "Top-ups per second (default 10)", DefaultValueFactory = _ => 10 };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL to run on instead of SQLite; the bench creates and drops its own database" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table (progress goes to stderr)" };
        var command = new Command("topup", "Top-up to relay closed: latency from POST /api/v1/vends to the virtual meter's relay while a fleet runs, beside a bare MQTT publish.")
        {
            meters, topups, rate, postgres, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var s = new TopUpSettings { Meters = r.GetValue(meters), TopUps = r.GetValue(topups), Rate = r.GetValue(rate), Postgres = r.GetValue(postgres) };
            if ((s.Problem() ?? postgresProblem(s.Postgres)) is { } problem)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var asJson = r.GetValue(json);
            var report = await RunAsync(s, asJson ? Console.Error : Console.Out, ct);
            if (asJson)
            {
                report.WriteJson(Console.Out);
            }
            else
            {
                report.WriteTable(Console.Out);
            }
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    public static async Task<TopUpReport> RunAsync(TopUpSettings s, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(log);
        var tag = s.Provider;
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", s.RunId + "-topup");
        var settings = new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = "1000000",
            ["RateLimit:Burst"] = "1000000",
            ["RateLimit:PerAddressPermitsPerSecond"] = "1000000",
            ["RateLimit:PerAddressBurst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging:LogLevel:Prepay.Vending.Tokens"] = "Error",
            ["Mqtt:Port"] = "0",
            // Simulated meters live hours in seconds: lift the per-meter limits a real meter would never meet.
            ["Mqtt:Limits:MessagesPerMinute"] = "10000000",
            ["Mqtt:Limits:EventsPerMinute"] = "10000000",
            ["Mqtt:CredentialSecret"] = "bench-" + s.RunId,
        };
        PostgresScratch? pg = null;
        try
        {
            if (s.Postgres is { } admin)
            {
                pg = await PostgresScratch.CreateAsync(admin, s.RunId, "topup", 50, ct);
                log.WriteLine($"[{tag}] database {pg.Name}");
                settings["Storage:Provider"] = nameof(DatabaseProvider.Postgres);
                settings["Storage:ConnectionString"] = pg.ConnectionString;
            }
            else
            {
                settings["Storage:Provider"] = nameof(DatabaseProvider.Sqlite);
                settings["Storage:ConnectionString"] = null;
            }
            log.WriteLine($"[{tag}] server with a fresh database, the demo data and {s.Meters:N0} smart meters");
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            var keys = await DemoData.SeedAsync(app.Services, dataDir, ct);
            var numbers = await BenchMeters.AddInstalledAsync(app.Services, FirstMeter, s.Meters, ct);
            var references = await BenchMeters.AddAsync(app.Services, FirstMeter + s.Meters, TopUpSettings.ReferenceMeters, ct);
            await app.StartAsync(ct);
            try
            {
                return await MeasureAsync(app, keys.App, numbers, references.Select(r => r.Number).ToList(), s, log, ct);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            if (pg is not null)
            {
                await pg.DisposeAsync();
            }
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

    private static async Task<TopUpReport> MeasureAsync(WebApplication app, string appKey, IReadOnlyList<string> numbers, IReadOnlyList<string> referenceMeters,
        TopUpSettings s, TextWriter log, CancellationToken ct)
    {
        var tag = s.Provider;
        var headEnd = app.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var credentials = app.Services.GetRequiredService<MeterCredentials>();
        var options = app.Services.GetRequiredService<MqttOptions>();
        var clock = app.Services.GetRequiredService<IClock>();
        var port = headEnd.BrokerPort;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var topUps = new TopUpLoad(s.RunId);
        await using var fleet = new TopUpFleet(numbers, s.Targets, n => new AgentEndpoint("127.0.0.1", port, credentials.PasswordFor(n)),
            app.Services.GetRequiredService<CommandKeys>().KeyFor, clock);
        foreach (var target in fleet.Targets)
        {
            target.SupplyReconnected += topUps.RelayClosed;
        }
        log.WriteLine($"[{tag}] connecting {fleet.Agents.Count:N0} virtual meters to the embedded broker on 127.0.0.1:{port}");
        await fleet.ConnectAsync(log, tag, ct);
        await using var reference = await PublishReference.ConnectAsync(port, options.ServiceUser, credentials, referenceMeters, s.RunId, ct);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", appKey);

        // A meter that ran out is, as a rule, a returning customer's: each target's customer buys once first, which
        // also creates the customer's ledger accounts (a first purchase does that outside the vend's transaction).
        log.WriteLine($"[{tag}] each of the {s.Targets} run-down meters' customers buys once first, as a returning customer has");
        var earlier = new TopUpLoad(s.RunId + "-earlier");
        await Parallel.ForEachAsync(fleet.Targets, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (a, c) => await earlier.SendAsync(http, a.MeterNumber, TopUpSettings.EarlierAmount, c));

        fleet.Start();
        log.WriteLine($"[{tag}] fleet running at {TopUpSettings.FleetSpeed:0}x; running {s.Targets} meters down to zero credit");
        var drained = await fleet.RunDownAsync(TimeSpan.FromSeconds(120), ct);
        log.WriteLine($"[{tag}] {drained.Count} of {s.Targets} meters at zero credit with their relay open (fleet at {fleet.Now:uuuu-MM-dd HH:mm})");

        var warm = drained.Take(Math.Min(TopUpSettings.WarmUp, Math.Max(0, drained.Count - 1))).ToList();
        log.WriteLine($"[{tag}] warming up: {warm.Count} top-ups and publishes, one at a time");
        foreach (var a in warm)
        {
            await topUps.SendAsync(http, a.MeterNumber, TopUpSettings.Amount, ct);
            await topUps.WaitClosedAsync(a.MeterNumber, TimeSpan.FromSeconds(10), ct);
            await reference.PublishAsync(clock, ct);
        }
        await reference.WaitAllAsync(TimeSpan.FromSeconds(5), ct);
        topUps.Clear();
        reference.Clear();

        var measured = drained.Skip(warm.Count).Take(s.TopUps).ToList();
        log.WriteLine($"[{tag}] {measured.Count} top-ups at {s.Rate:0.##}/s, each followed half an interval later by a bare publish to a reference meter");
        var readingsBefore = fleet.ReadingsSent;
        var cpuBefore = CpuUse.Take();
        var run = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / s.Rate);
        var sending = new List<Task>(measured.Count * 2);
        for (var k = 0; k < measured.Count; k++)
        {
            await WaitUntilAsync(run, interval * k, ct);
            sending.Add(topUps.SendAsync(http, measured[k].MeterNumber, TopUpSettings.Amount, ct));
            await WaitUntilAsync(run, interval * (k + 0.5), ct);
            sending.Add(reference.PublishAsync(clock, ct));
            if (k > 0 && k % (int)Math.Max(1, s.Rate * 5) == 0)
            {
                log.WriteLine($"[{tag}] {run.Elapsed.TotalSeconds,4:0} s: {k} sent, {topUps.Closed} relays closed, {topUps.Errors} errors");
            }
        }
        await Task.WhenAll(sending);
        await topUps.WaitAllClosedAsync(TimeSpan.FromSeconds(30), ct);
        await reference.WaitAllAsync(TimeSpan.FromSeconds(10), ct);
        var elapsed = run.Elapsed;
        var cpu = CpuUse.Between(cpuBefore, CpuUse.Take());
        var readingsPerSecond = (fleet.ReadingsSent - readingsBefore) / elapsed.TotalSeconds;
        log.WriteLine($"[{tag}] done after {elapsed.TotalSeconds:0.0} s: {topUps.Closed} of {measured.Count} relays closed; the fleet published {readingsPerSecond:N0} readings/s meanwhile");

        return new TopUpReport(s, fleet.Agents.Count, drained.Count, measured.Count, readingsPerSecond, elapsed.TotalSeconds,
            topUps.ToClose(), topUps.Http(), reference.RoundTrips(), topUps.NeverClosed, topUps.Errors + earlier.Errors, reference.Lost,
            [.. earlier.ErrorSamples.Select(e => "earlier purchase: " + e), .. topUps.ErrorSamples], cpu);
    }

    private static async Task WaitUntilAsync(Stopwatch run, TimeSpan at, CancellationToken ct)
    {
        var wait = at - run.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }
}

/// <summary>
/// The top-ups: each a <c>POST /api/v1/vends</c> to a meter of its own, timed from just before the request is sent to
/// the moment the meter's agent reports its relay closed (and, apart, to the HTTP answer). Stopwatch ticks, one
/// process, one clock.
/// </summary>
internal sealed class TopUpLoad(string runId)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private sealed class Attempt
    {
        public long SentAt;
        public long AnsweredAt;
        public long ClosedAt;
        public bool Failed;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Attempt> _attempts = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();
    private int _errorCount;

    public int Closed => _attempts.Values.Count(a => Volatile.Read(ref a.ClosedAt) != 0);

    public int Errors => Volatile.Read(ref _errorCount);

    public int NeverClosed => _attempts.Values.Count(a => !a.Failed && Volatile.Read(ref a.ClosedAt) == 0);

    public IReadOnlyList<string> ErrorSamples => _errors.Take(5).ToList();

    /// <summary>The agent's <see cref="MqttMeterAgent.SupplyReconnected"/>: the first closing after the top-up was sent counts.</summary>
    public void RelayClosed(MqttMeterAgent agent)
    {
        var now = Stopwatch.GetTimestamp();
        if (_attempts.TryGetValue(agent.MeterNumber, out var a))
        {
            Interlocked.CompareExchange(ref a.ClosedAt, now, 0);
        }
    }

    public async Task SendAsync(HttpClient http, string meter, string amount, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { meterNumber = meter, amount, currency = "ZAR" }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/vends") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add("Idempotency-Key", $"bench-topup-{runId}-{meter}");
        var attempt = new Attempt();
        _attempts[meter] = attempt;
        attempt.SentAt = Stopwatch.GetTimestamp();
        string? failure;
        try
        {
            using var response = await http.SendAsync(request, ct);
            var answer = await response.Content.ReadAsByteArrayAsync(ct);
            attempt.AnsweredAt = Stopwatch.GetTimestamp();
            failure = response.StatusCode == HttpStatusCode.Created ? null
                : $"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 300)))}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            failure = $"{e.GetType().Name}: {e.Message}";
        }
        if (failure is not null)
        {
            attempt.Failed = true;
            Interlocked.Increment(ref _errorCount);
            _errors.Enqueue($"meter {meter}: {failure}");
        }
    }

    public async Task WaitClosedAsync(string meter, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (_attempts.TryGetValue(meter, out var a) && !a.Failed && Volatile.Read(ref a.ClosedAt) == 0 && clock.Elapsed < limit)
        {
            await Task.Delay(5, ct);
        }
    }

    public async Task WaitAllClosedAsync(TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (NeverClosed > 0 && clock.Elapsed < limit)
        {
            await Task.Delay(20, ct);
        }
    }

    public void Clear() => _attempts.Clear();

    /// <summary>Sending the request to the relay closing, for the top-ups whose relay closed.</summary>
    public Percentiles ToClose() => Percentiles.FromTicks([.. _attempts.Values.Where(a => a.ClosedAt != 0).Select(a => a.ClosedAt - a.SentAt)]);

    /// <summary>Sending the request to its answer, for the top-ups answered 201.</summary>
    public Percentiles Http() => Percentiles.FromTicks([.. _attempts.Values.Where(a => !a.Failed && a.AnsweredAt != 0).Select(a => a.AnsweredAt - a.SentAt)]);
}
