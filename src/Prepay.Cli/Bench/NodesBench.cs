using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Prepay.HeadEnd.Mqtt;
using Prepay.Server;

namespace Prepay.Cli.Bench;

/// <summary>What one round of <c>prepay bench nodes</c> measured: so many nodes on one PostgreSQL.</summary>
internal sealed record NodesRound(int Nodes, double VendsPerSecond, double ReadingsPerSecond, IReadOnlyList<double> NodeCpuMsPerVend,
    double PostgresCpuMsPerVend, long Answered, long Stored);

/// <summary>
/// <c>prepay bench nodes</c>: vends per second and readings per second with 1, 2 and 3 <c>prepay serve</c> nodes on one
/// PostgreSQL and one Mosquitto, in the same run, each round on a fresh database; buyers spread their vends over the
/// nodes in turn, meters publish readings as fast as the broker takes them. Each node's CPU per vend it answered (its
/// share of ingestion included) and PostgreSQL's CPU per vend are printed beside the rates, and every answered vend is
/// found once in the database. On a machine of few cores more nodes cannot be faster: the figures show what they cost.
/// </summary>
internal static class NodesBench
{
    private const string AdminKey = "pp_bench-nodes-admin-key-0123456789abcdef";

    public static Command Create(Func<string?, string?> postgresProblem)
    {
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL (required); the bench creates and drops a database per round" };
        var nodes = new Option<string>("--nodes") { Description = "Node counts to run, in order (default 1,2,3; each 1 to 8)", DefaultValueFactory = _ => "1,2,3" };
        var duration = new Option<int>("--duration") { Description = "Seconds of timed load per round, after 3 s of warm-up (default 10, at most 600)", DefaultValueFactory = _ => 10 };
        var buyers = new Option<int>("--buyers") { Description = "Concurrent buyers, one vend at a time each, spread over the nodes (default 8, at most 256)", DefaultValueFactory = _ => 8 };
        var meters = new Option<int>("--meters") { Description = "Meters publishing readings and taking credit (default 20, at most 999)", DefaultValueFactory = _ => 20 };
        var command = new Command("nodes", "Vends/s and readings/s with 1, 2 and 3 prepay serve nodes on one PostgreSQL and one Mosquitto, each node's CPU per vend, none lost or doubled.")
        {
            postgres, nodes, duration, buyers, meters,
        };
        command.SetAction(async (r, ct) =>
        {
            var counts = (r.GetValue(nodes) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToList();
            var problem = (r.GetValue(postgres) is null ? "--postgres is required" : postgresProblem(r.GetValue(postgres)))
                ?? (counts.Count == 0 || counts.Any(c => c is < 1 or > 8) ? "--nodes must list node counts of 1 to 8, e.g. 1,2,3" : null)
                ?? (r.GetValue(duration) is < 1 or > 600 ? "--duration must be 1 to 600" : null)
                ?? (r.GetValue(buyers) is < 1 or > 256 ? "--buyers must be 1 to 256" : null)
                ?? (r.GetValue(meters) is < 1 or > 999 ? "--meters must be 1 to 999" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return Hosting.CommandLine.BadInput;
            }
            Console.WriteLine($"bench nodes: {string.Join(", ", counts)} node(s) on one PostgreSQL and one Mosquitto, {r.GetValue(buyers)} buyers, {r.GetValue(meters)} meters, {r.GetValue(duration)} s each");
            var rounds = await RunAsync(r.GetValue(postgres)!, counts, TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(buyers), r.GetValue(meters), Console.Out, ct);
            Write(rounds, Console.Out);
            return rounds.All(x => x.Answered == x.Stored && x.Answered > 0) ? 0 : 1;
        });
        return command;
    }

    public static async Task<IReadOnlyList<NodesRound>> RunAsync(string postgresAdmin, IReadOnlyList<int> counts, TimeSpan duration, int buyers, int meterCount,
        TextWriter log, CancellationToken ct)
    {
        var runId = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var root = Path.Combine(Path.GetTempPath(), "prepay-bench-nodes", runId);
        var secret = RandomNumberGenerator.GetHexString(64, lowercase: true);
        var numbers = Enumerable.Range(0, meterCount).Select(i => "0600" + runId + i.ToString("D3", CultureInfo.InvariantCulture)).ToList();
        var (meterPort, servicePort) = (FreePort(), FreePort());
        await using var broker = await BenchBroker.StartAsync(Path.Combine(root, "mosquitto"), new MosquittoListeners(meterPort, servicePort), new MeterCredentials(secret), numbers, ct);
        await using var fleet = new NodesFleet(numbers, meterPort, new MeterCredentials(secret));
        await fleet.ConnectAsync(ct);
        var rounds = new List<NodesRound>();
        try
        {
            foreach (var n in counts)
            {
                await using var db = await PostgresScratch.CreateAsync(postgresAdmin, runId, $"n{n}", 100, ct);
                var shared = new NodeEnvironment.Shared(db.ConnectionString, servicePort, secret,
                    RandomNumberGenerator.GetHexString(64, lowercase: true), RandomNumberGenerator.GetHexString(64, lowercase: true));
                rounds.Add(await RoundAsync(n, shared, Path.Combine(root, $"n{n}"), numbers, fleet, duration, buyers, log, ct));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return rounds;
    }

    private static async Task<NodesRound> RoundAsync(int n, NodeEnvironment.Shared shared, string dir, IReadOnlyList<string> numbers, NodesFleet fleet,
        TimeSpan duration, int buyers, TextWriter log, CancellationToken ct)
    {
        await log.WriteLineAsync($"  {n} node{(n == 1 ? "" : "s")}: migrating, starting, setting up {numbers.Count} meters …");
        await PrepareAsync(shared.ConnectionString, Path.Combine(dir, "prepare"), ct);
        var nodes = new List<Process>();
        var ports = Enumerable.Range(0, n).Select(_ => FreePort()).ToList();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var start = PeerProcess.SelfStartInfo("serve", "--urls", $"http://127.0.0.1:{ports[i]}", "--data", Path.Combine(dir, $"node-{i}"));
                start.UseShellExecute = false;
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
                foreach (var (k, v) in NodeEnvironment.For(shared, $"prepay-bench-node-{i}"))
                {
                    start.Environment[k] = v;
                }
                var node = Process.Start(start) ?? throw new InvalidOperationException("a node did not start");
                node.OutputDataReceived += (_, _) => { };
                node.ErrorDataReceived += (_, _) => { };
                node.BeginOutputReadLine();
                node.BeginErrorReadLine();
                nodes.Add(node);
            }
            var clients = ports.Select(p => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{p}"), Timeout = TimeSpan.FromSeconds(60) }).ToList();
            foreach (var (client, node) in clients.Zip(nodes))
            {
                await ReadyAsync(client, node, ct);
            }
            var vendorKey = await BenchWorld.CreateAsync(clients[0], AdminKey, numbers, ct);
            foreach (var c in clients)
            {
                c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vendorKey);
            }

            // Vends alone first (meters connected, taking their credit), then readings alone: each node's CPU per vend is
            // then the vends' own, not a share of ingestion.
            var answered = new long[n];
            var (vendSeconds, cpu, postgres) = await WindowAsync(nodes, duration, stop =>
                Task.WhenAll(Enumerable.Range(0, buyers).Select(b => BuyAsync(b, clients, numbers, answered, stop))), answered, null, null, ct);
            var readingsBefore = 0L;
            var readingsAfter = 0L;
            var (readingSeconds, _, _) = await WindowAsync(nodes, duration, fleet.PublishAsync, null,
                async () => readingsBefore = await StoredReadingsAsync(shared.ConnectionString, ct),
                async () => readingsAfter = await StoredReadingsAsync(shared.ConnectionString, ct), ct);
            var perNode = cpu.Vends;
            var vends = perNode.Sum();
            var (total, stored) = (answered.Sum(), await StoredVendsAsync(shared.ConnectionString, ct));
            return new NodesRound(n, vends / vendSeconds, (readingsAfter - readingsBefore) / readingSeconds,
                Enumerable.Range(0, n).Select(i => perNode[i] == 0 ? 0 : 1000 * cpu.Cpu[i].TotalSeconds / perNode[i]).ToList(),
                vends == 0 ? 0 : 1000 * postgres / vends, total, stored);
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (!node.HasExited)
                {
                    node.Kill();
                }
                node.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs a load for 3 s of warm-up and then <paramref name="duration"/> timed; returns the timed seconds, each node's
    /// CPU and vends answered in them, and PostgreSQL's CPU seconds. The load is stopped and awaited before returning.
    /// </summary>
    private static async Task<(double Seconds, (TimeSpan[] Cpu, long[] Vends) Nodes, double PostgresSeconds)> WindowAsync(IReadOnlyList<Process> nodes, TimeSpan duration,
        Func<CancellationToken, Task> run, long[]? answered, Func<Task>? atStart, Func<Task>? atEnd, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = run(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // warm-up: JIT, pools, first statements
        var (vends0, cpu0, pg0) = (answered?.ToArray() ?? new long[nodes.Count], nodes.Select(Cpu).ToList(), CpuUse.Take());
        if (atStart is not null)
        {
            await atStart();
        }
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration, ct);
        if (atEnd is not null)
        {
            await atEnd();
        }
        var (vends1, cpu1, pg1) = (answered?.ToArray() ?? new long[nodes.Count], nodes.Select(Cpu).ToList(), CpuUse.Take());
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await load;
        return (seconds, (cpu1.Zip(cpu0, (a, b) => a - b).ToArray(), vends1.Zip(vends0, (a, b) => a - b).ToArray()), CpuUse.Between(pg0, pg1).PostgresPercent / 100 * seconds);
    }

    private static TimeSpan Cpu(Process p)
    {
        p.Refresh();
        return p.HasExited ? TimeSpan.Zero : p.TotalProcessorTime;
    }

    private static async Task BuyAsync(int buyer, IReadOnlyList<HttpClient> nodes, IReadOnlyList<string> meters, long[] answered, CancellationToken stop)
    {
        var random = new Random(buyer);
        for (var i = buyer; !stop.IsCancellationRequested; i++)
        {
            var node = i % nodes.Count;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vends")
            {
                Content = JsonContent.Create(new { meterNumber = meters[random.Next(meters.Count)], amount = "5.00", currency = "ZAR" }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            try
            {
                // Not cancelled by the stop: a vend sent is followed to its answer, so the count and the database agree.
                using var response = await nodes[node].SendAsync(request, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref answered[node]);
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task PrepareAsync(string connectionString, string dataDir, CancellationToken ct)
    {
        await using var app = PrepayServer.Build(new ServerSettings
        {
            DataDirectory = dataDir,
            Overrides = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString, ["BOOTSTRAP_API_KEY"] = AdminKey,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None", // an empty database's missing history table is no error
            },
        });
        await app.PrepareAsync(ct);
    }

    private static async Task ReadyAsync(HttpClient client, Process node, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (node.HasExited)
            {
                throw new InvalidOperationException($"a node exited while starting (exit code {node.ExitCode})");
            }
            try
            {
                using var ready = await client.GetAsync("/health/ready", ct);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException("a node was not ready within 90 s");
            }
            await Task.Delay(200, ct);
        }
    }

    private static Task<long> StoredReadingsAsync(string connectionString, CancellationToken ct) => CountAsync(connectionString, "SELECT count(*) FROM readings", ct);

    private static Task<long> StoredVendsAsync(string connectionString, CancellationToken ct) => CountAsync(connectionString, "SELECT count(*) FROM vends", ct);

    private static async Task<long> CountAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The table: one line per node count, and the ratio of each to one node measured in the same run.</summary>
    public static void Write(IReadOnlyList<NodesRound> rounds, TextWriter output)
    {
        var one = rounds.FirstOrDefault(r => r.Nodes == 1) ?? rounds[0];
        output.WriteLine();
        output.WriteLine("nodes  vends/s  readings/s  CPU per vend on each node (ms)                     PostgreSQL CPU per vend  vends ÷ 1 node  readings ÷ 1 node  answered = stored");
        foreach (var r in rounds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Nodes,5}  {r.VendsPerSecond,7:0.0}  {r.ReadingsPerSecond,10:0}  {string.Join(" / ", r.NodeCpuMsPerVend.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture))),-50}  {r.PostgresCpuMsPerVend,20:0.00} ms  {r.VendsPerSecond / one.VendsPerSecond,13:0.00}  {r.ReadingsPerSecond / Math.Max(1, one.ReadingsPerSecond),17:0.00}  {r.Answered} = {r.Stored}{(r.Answered == r.Stored ? "" : "  LOST OR DOUBLED")}"));
        }
    }
}
