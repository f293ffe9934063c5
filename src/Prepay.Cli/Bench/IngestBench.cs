using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using Npgsql;
using NpgsqlTypes;
using Prepay.Cli.Hosting;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Server;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench ingest [--meters N] [--readings N] [--batch N] [--duplicates PCT] [--postgres CONN] [--sqlite-only]</c>:
/// readings per second from MQTT payload to committed row, through a real server's embedded broker, head-end and
/// bulk writer, with a share of readings sent twice (refused by the key); beside a raw reference measured in the same
/// run on the same database: the same distinct rows by one binary COPY (PostgreSQL) or one prepared INSERT in one
/// transaction (SQLite) into a table with the readings table's schema, keys and indexes. Checks that the stored
/// rows are exactly the distinct readings. Exit code 1 when a check fails, 2 for bad options; a missed target
/// (ratio 0.5, 100,000 readings/s) is reported, not failed.
/// </summary>
public static class IngestBench
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Settings(int Meters, int Readings, int Batch, int DuplicatePercent, string? Postgres, bool SqliteOnly)
    {
        public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

        public string? Problem() =>
            Meters is < 1 or > 5000 ? "--meters must be 1 to 5000"
            : Readings is < 1 or > 10_000 ? "--readings must be 1 to 10000"
            : Batch is < 1 or > 500 ? "--batch must be 1 to 500 (readings per message; 64 KiB payload limit)"
            : DuplicatePercent is < 0 or > 100 ? "--duplicates must be 0 to 100 (percent)"
            : null;
    }

    public sealed record Result(string Provider, long Sent, long Distinct, long Duplicates, TimeSpan Publish, TimeSpan Committed,
        long ParsePerSecond, long RawRows, TimeSpan Raw, long Stored, long RawStored, long DuplicatesCounted, double WriterPerSecond)
    {
        public double ReadingsPerSecond => Sent / Committed.TotalSeconds;
        public double RawPerSecond => RawRows / Raw.TotalSeconds;
        public double Ratio => ReadingsPerSecond / RawPerSecond;
        public bool Passed => Stored == Distinct && RawStored == RawRows && DuplicatesCounted == Duplicates;
    }

    public static Command Create(Func<string?, string?> postgresProblem)
    {
        var meters = new Option<int>("--meters") { Description = "Meters publishing, one MQTT connection each (default 200)", DefaultValueFactory = _ => 200 };
        var readings = new Option<int>("--readings") { Description = "Distinct readings per meter (default 500)", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch") { Description = "Readings per message (default 50)", DefaultValueFactory = _ => 50 };
        var duplicates = new Option<int>("--duplicates") { Description = "Readings sent a second time, percent (default 5)", DefaultValueFactory = _ => 5 };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL; without it only SQLite runs" };
        var sqliteOnly = new Option<bool>("--sqlite-only") { Description = "Run SQLite only, even with --postgres" };
        var command = new Command("ingest", "Readings per second from MQTT payload to committed row on SQLite and PostgreSQL, beside a raw COPY / prepared insert of the same rows.")
        {
            meters, readings, batch, duplicates, postgres, sqliteOnly,
        };
        command.SetAction(async (r, ct) =>
        {
            var s = new Settings(r.GetValue(meters), r.GetValue(readings), r.GetValue(batch), r.GetValue(duplicates), r.GetValue(postgres), r.GetValue(sqliteOnly));
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
        return await PostgresScratch.OnEachProviderAsync(s.SqliteOnly ? null : s.Postgres, s.RunId, "ingest", log,
            (provider, storage) => RunProviderAsync(provider, storage, s, log, ct), ct);
    }

    private static async Task<Result> RunProviderAsync(string provider, Dictionary<string, string?> settings, Settings s, TextWriter log, CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-bench", s.RunId + "-ingest-" + provider);
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        // A fresh database's first migration query fails by design; the bench's own lines say what happens.
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None";
        settings["Logging:LogLevel:Prepay.Vending.Tokens"] = "Error";
        settings["Mqtt:Port"] = "0";
        // The bench's meters send far faster than real ones: lift the per-meter limits.
        settings["Mqtt:Limits:MessagesPerMinute"] = "10000000";
        settings["Mqtt:Limits:EventsPerMinute"] = "10000000";
        settings["Mqtt:CredentialSecret"] = "bench-" + s.RunId;
        try
        {
            log.WriteLine($"[{provider}] server with a fresh database, {s.Meters} meters");
            await using var app = PrepayServer.Build(new ServerSettings { Urls = "http://127.0.0.1:0", DataDirectory = dataDir, Overrides = settings });
            await app.PrepareAsync(ct);
            var meters = await AddMetersAsync(app.Services, s.Meters, ct);
            await app.StartAsync(ct);
            var headEnd = app.Services.GetRequiredService<MqttHeadEnd>();
            await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
            var credentials = app.Services.GetRequiredService<MeterCredentials>();
            var ingestor = app.Services.GetRequiredService<ReadingIngestor>();

            var plan = meters.Select((m, i) => PlanFor(m, i, s)).ToList();
            var sent = plan.Sum(p => p.Sent);
            var distinct = (long)s.Meters * s.Readings;
            var duplicates = sent - distinct;
            var parse = ParseRate(plan.SelectMany(p => p.Messages).Take(2000).ToList());

            log.WriteLine($"[{provider}] connecting {s.Meters} meters to the embedded broker");
            var clients = await Task.WhenAll(meters.Select(m => ConnectAsync(headEnd.BrokerPort, m.Number, credentials.PasswordFor(m.Number), ct)));
            try
            {
                log.WriteLine($"[{provider}] publishing {sent:N0} readings ({duplicates:N0} repeated) in {plan.Sum(p => p.Messages.Count):N0} messages, QoS 1");
                var clock = Stopwatch.StartNew();
                // A stalled broker must end the run with a report, not hang it: publishing and committing get a minute.
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
                stall.CancelAfter(TimeSpan.FromSeconds(60));
                var publishing = Task.WhenAll(plan.Select((p, i) => PublishAllAsync(clients[i], p, stall.Token)));
                var stalled = false;
                try
                {
                    await publishing;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    stalled = true;
                }
                var published = clock.Elapsed;
                while (ingestor.Totals is var t && t.Written + t.Duplicates < sent && !stall.IsCancellationRequested)
                {
                    await Task.Delay(1, ct);
                }
                var committed = clock.Elapsed;
                var totals = ingestor.Totals;
                log.WriteLine(stalled
                    ? $"[{provider}] STALLED: publishing not acknowledged after {published.TotalSeconds:0} s; {totals.Written:N0} new and {totals.Duplicates:N0} repeated readings committed of {sent:N0} sent"
                    : $"[{provider}] all published after {published.TotalSeconds:0.00} s, all committed after {committed.TotalSeconds:0.00} s ({totals.Written:N0} new, {totals.Duplicates:N0} repeated)");

                log.WriteLine($"[{provider}] raw reference: the same {distinct:N0} rows into readings_raw");
                var (raw, stored, rawStored) = await IngestReference.RunAsync(app.Services, plan.SelectMany(p => p.Distinct.Select(r => (p.Number, r))).ToList(), ct);
                var writer = stored == distinct ? await WriterOnlyAsync(app.Services, distinct, ct) : double.NaN;
                return new Result(provider, sent, distinct, duplicates, published, committed, parse, distinct, raw, stored, rawStored, totals.Duplicates, writer);
            }
            finally
            {
                foreach (var c in clients)
                {
                    c.Dispose();
                }
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

    private sealed record MeterPlan(string Number, Guid Id, List<byte[]> Messages, List<ReadingPayload> Distinct, long Sent);

    /// <summary>A meter's readings in messages of <c>Batch</c>, then every twentieth (or the asked share) again in messages of their own.</summary>
    private static MeterPlan PlanFor((string Number, Guid Id) meter, int index, Settings s)
    {
        var readings = new List<ReadingPayload>(s.Readings);
        var energy = 10_000L * index;
        for (var r = 0; r < s.Readings; r++)
        {
            var delta = 100 + ((r * 37 + index) % 400);
            energy += delta;
            readings.Add(new ReadingPayload(Start.AddMinutes(15 * r), energy, delta, 50_000 - r, 2300 + (r % 50), 1000 + (r % 300), delta * 4));
        }
        var repeated = readings.Where((_, r) => s.DuplicatePercent > 0 && r * s.DuplicatePercent % 100 < s.DuplicatePercent).ToList();
        var messages = readings.Chunk(s.Batch).Concat(repeated.Chunk(s.Batch))
            .Select(c => JsonSerializer.SerializeToUtf8Bytes(new ReadingsMessage(c), ProtocolJson.Options)).ToList();
        return new MeterPlan(meter.Number, meter.Id, messages, readings, readings.Count + repeated.Count);
    }

    private static async Task<List<(string Number, Guid Id)>> AddMetersAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meters = Enumerable.Range(0, count).Select(i => new Domain.Metering.Meter
        {
            Id = Guid.CreateVersion7(), MeterNumber = (90_000_000_000L + i).ToString(CultureInfo.InvariantCulture), Mode = MeterMode.Smart, Currency = "ZAR",
            ResolutionWh = 1, SupplyGroupCode = 123456, KeyRevisionNumber = 1, TariffIndex = 1, KeyType = 2,
            EncryptionAlgorithm = StsEncryptionAlgorithm.Sta, BaseDate = StsBaseDate.Y2014,
        }).ToList();
        db.Meters.AddRange(meters);
        await db.SaveChangesAsync(ct);
        return meters.Select(m => (m.MeterNumber, m.Id)).ToList();
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string meter, string password, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(meter).WithCredentials(meter, password).Build(), ct);
        return client;
    }

    private static async Task PublishAllAsync(IMqttClient client, MeterPlan plan, CancellationToken ct)
    {
        var topic = Topics.For(plan.Number, Topics.Readings);
        foreach (var payload in plan.Messages)
        {
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"publish for meter {plan.Number} refused: {result.ReasonCode}");
            }
        }
    }

    /// <summary>
    /// The head-end's bulk writer alone (<see cref="ReadingWriter"/>, batches of <see cref="ReadingIngestor.MaxBatch"/>, one
    /// writer): the stored readings are read back, deleted and written again, without MQTT. Rows per second.
    /// </summary>
    private static async Task<double> WriterOnlyAsync(IServiceProvider services, long expected, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var rows = await db.Readings.AsNoTracking().ToListAsync(ct);
        await db.Readings.ExecuteDeleteAsync(ct);
        var clock = Stopwatch.StartNew();
        long written = 0;
        // As in steady running, every meter has been heard from before: its new readings go by the straight copy.
        var latest = new LatestStored();
        latest.Record(rows.GroupBy(r => r.MeterId).Select(g => new IntervalReading { MeterId = g.Key, At = g.Min(r => r.At) - NodaTime.Duration.Epsilon }).ToList());
        foreach (var chunk in rows.Chunk(ReadingIngestor.MaxBatch))
        {
            written += await ReadingWriter.WriteAsync(db, chunk, latest, ct);
        }
        var elapsed = clock.Elapsed;
        return written == expected ? written / elapsed.TotalSeconds : double.NaN;
    }

    /// <summary>Readings parsed per second by the head-end's JSON options alone, on one thread: the parsing ceiling.</summary>
    private static long ParseRate(List<byte[]> messages)
    {
        long readings = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            foreach (var m in messages)
            {
                readings += JsonSerializer.Deserialize<ReadingsMessage>(m, ProtocolJson.Options)!.Readings.Count;
            }
        }
        return (long)(readings / clock.Elapsed.TotalSeconds);
    }

    public static void Write(IReadOnlyList<Result> results, TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine();
        o.WriteLine("Ingestion: MQTT payload (embedded broker, QoS 1) to committed row, repeated readings refused by the key");
        o.WriteLine($"{"provider",-9} {"sent",9} {"repeated",8} {"published s",11} {"committed s",11} {"readings/s",11} {"raw rows/s",11} {"ratio",6} {"parse-only/s",13} {"writer-only/s",13}  check");
        foreach (var r in results)
        {
            o.WriteLine($"{r.Provider,-9} {r.Sent,9:N0} {r.Duplicates,8:N0} {r.Publish.TotalSeconds,11:0.00} {r.Committed.TotalSeconds,11:0.00} {(r.Passed ? r.ReadingsPerSecond.ToString("N0", CultureInfo.InvariantCulture) : "lost"),11} {r.RawPerSecond,11:N0} {r.Ratio,6:0.00} {r.ParsePerSecond,13:N0} {r.WriterPerSecond,13:N0}  " +
                (r.Passed ? $"ok: {r.Stored:N0} rows = distinct readings, {r.DuplicatesCounted:N0} repeats refused" : $"FAILED: {r.Stored:N0} rows for {r.Distinct:N0} distinct, {r.DuplicatesCounted:N0} repeats counted of {r.Duplicates:N0}, raw {r.RawStored:N0}"));
            o.WriteLine($"{"",-9} targets: ratio >= 0.5 {(r.Ratio >= 0.5 ? "met" : "MISSED")}, >= 100,000 readings/s {(r.ReadingsPerSecond >= 100_000 ? "met" : "MISSED")}");
        }
        o.WriteLine("raw = the same distinct rows in one binary COPY (PostgreSQL) / one prepared INSERT in one transaction (SQLite) into a copy of the readings table.");
        o.WriteLine("published s: until every message was acknowledged by the broker; committed s: until the head-end had committed every reading.");
        o.WriteLine("parse-only: the head-end's JSON parsing on one thread; writer-only: one of the head-end's bulk writers alone on the same rows (batches of 5,000, meters heard from before).");
    }
}
