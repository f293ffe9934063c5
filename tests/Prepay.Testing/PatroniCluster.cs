using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Prepay.Testing;

/// <summary>
/// PostgreSQL high availability as docs/operations.md sets it up, on loopback: one etcd (Debian's <c>etcd-server</c>) and
/// two PostgreSQL nodes under Debian's <c>patroni</c>, synchronous replication on, each in a directory of its own. A
/// client reaches whichever is primary through an Npgsql multi-host connection string with
/// <c>Target Session Attributes=primary</c>. When the tests run as root, etcd and Patroni run as the <c>postgres</c>
/// user (initdb refuses root), through <c>setpriv</c> so that the process the test holds is Patroni itself.
/// Absent Patroni or etcd skips the tests unless <c>PREPAY_TEST_REQUIRE_PATRONI=1</c> (build.sh sets it).
/// </summary>
public sealed class PatroniCluster : IAsyncDisposable
{
    private const string Scope = "prepay-test";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "prepay-patroni", Guid.NewGuid().ToString("N")[..12]);
    private readonly int _etcdClient = LoopbackPorts.Free();
    private readonly int _etcdPeer = LoopbackPorts.Free();
    private readonly int[] _rest = [LoopbackPorts.Free(), LoopbackPorts.Free()];
    private readonly int[] _postgres = [LoopbackPorts.Free(), LoopbackPorts.Free()];
    private readonly Process?[] _patroni = new Process?[2];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private Process? _etcd;

    public static bool Required => Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_PATRONI") == "1";

    public static bool Available => (File.Exists("/usr/bin/patroni") && File.Exists("/usr/bin/etcd")) || Required;

    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(Available, "patroni or etcd not installed (apt-get install patroni etcd-server; ./build.sh test installs them and sets PREPAY_TEST_REQUIRE_PATRONI=1).");

    public static string PostgresBin => Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
        .OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!, CultureInfo.InvariantCulture)).Last();

    /// <summary>Both PostgreSQL nodes, the primary found by the client, as an operator writes it.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1:{_postgres[0]},127.0.0.1:{_postgres[1]};Username=postgres;Password=postgres;Database={database};Target Session Attributes=primary";

    /// <summary>etcd, then node 0 until it leads, then node 1 until it is the synchronous standby.</summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(_root);
        OwnedByPostgres(_root);
        var url = (int port) => $"http://127.0.0.1:{port}";
        _etcd = Start("/usr/bin/etcd", "etcd.log",
            "--name", "e0", "--data-dir", Path.Combine(_root, "etcd"), "--log-level", "warn",
            "--listen-client-urls", url(_etcdClient), "--advertise-client-urls", url(_etcdClient),
            "--listen-peer-urls", url(_etcdPeer), "--initial-advertise-peer-urls", url(_etcdPeer),
            "--initial-cluster", $"e0={url(_etcdPeer)}", "--initial-cluster-state", "new");
        await UntilAsync(() => OkAsync($"{url(_etcdClient)}/version"), "etcd answers", _etcd);
        for (var node = 0; node < 2; node++)
        {
            await File.WriteAllTextAsync(ConfigFile(node), Config(node));
            OwnedByPostgres(ConfigFile(node));
            _patroni[node] = Start("/usr/bin/patroni", $"patroni-{node}.log", ConfigFile(node));
            await UntilAsync(() => OkAsync($"{url(_rest[node])}/{(node == 0 ? "primary" : "sync")}"), $"node {node} {(node == 0 ? "leads" : "is the synchronous standby")}", _patroni[node]!);
        }
    }

    /// <summary>Creates a database on the primary and returns its multi-host connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "prepay_failover_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    /// <summary>The node Patroni says leads (its REST API answers 200 on /primary), or null while none does.</summary>
    public async Task<int?> PrimaryAsync()
    {
        for (var node = 0; node < 2; node++)
        {
            if (_patroni[node] is { HasExited: false } && await OkAsync($"http://127.0.0.1:{_rest[node]}/primary"))
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>SIGKILL to the primary's Patroni and to its postmaster: the machine is gone, as far as anyone can tell.</summary>
    public async Task<int> KillPrimaryAsync()
    {
        var primary = await PrimaryAsync() ?? throw new InvalidOperationException("no primary to kill");
        KillPostmaster(primary);
        await KillAsync(_patroni[primary]!);
        return primary;
    }

    /// <summary>Waits until <paramref name="node"/> leads (Patroni promoted it once the leader key expired).</summary>
    public Task PromotedAsync(int node, TimeSpan limit) =>
        UntilAsync(() => OkAsync($"http://127.0.0.1:{_rest[node]}/primary"), $"node {node} is promoted", _patroni[node]!, limit);

    /// <summary>The PostgreSQL port of <paramref name="node"/>.</summary>
    public int PortOf(int node) => _postgres[node];

    public string Log(int node) => ReadLog($"patroni-{node}.log");

    /// <summary>
    /// SIGKILL, then waits for the process itself: not for its output to end, which a postmaster it started (and which
    /// holds the same pipes) keeps open.
    /// </summary>
    private static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
        while (!process.HasExited)
        {
            await Task.Delay(20);
        }
    }

    private void KillPostmaster(int node)
    {
        var pidFile = Path.Combine(_root, $"data{node}", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(); // its backends exit when they find it gone; Patroni, killed next, reaped it
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    private string ConfigFile(int node) => Path.Combine(_root, $"patroni-{node}.yml");

    // ttl 10 s: the leader key expires, and the standby is promoted, about ten seconds after the primary dies.
    private string Config(int node) => $"""
        scope: {Scope}
        name: pg{node}
        restapi:
          listen: 127.0.0.1:{_rest[node]}
          connect_address: 127.0.0.1:{_rest[node]}
        etcd3:
          hosts: 127.0.0.1:{_etcdClient}
        bootstrap:
          dcs:
            ttl: 10
            loop_wait: 1
            retry_timeout: 4
            maximum_lag_on_failover: 0
            synchronous_mode: true
            postgresql:
              use_pg_rewind: false
              parameters:
                max_connections: 200
          initdb:
            - encoding: UTF8
            - auth: trust
          pg_hba:
            - host all all 127.0.0.1/32 trust
            - host replication replicator 127.0.0.1/32 trust
        postgresql:
          listen: 127.0.0.1:{_postgres[node]}
          connect_address: 127.0.0.1:{_postgres[node]}
          data_dir: {Path.Combine(_root, $"data{node}")}
          bin_dir: {PostgresBin}
          pgpass: {Path.Combine(_root, $"pgpass{node}")}
          authentication:
            superuser:
              username: postgres
              password: postgres
            replication:
              username: replicator
              password: replicator
          parameters:
            unix_socket_directories: {_root}
        """;

    private Process Start(string binary, string log, params string[] args)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "/usr/bin/setpriv" : binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        if (root)
        {
            foreach (var a in (string[])["--reuid=postgres", "--regid=postgres", "--init-groups", binary])
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var writer = File.AppendText(Path.Combine(_root, log));
        writer.AutoFlush = true;
        process.OutputDataReceived += (_, e) => { lock (writer) { writer.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (writer) { writer.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void OwnedByPostgres(string path)
    {
        if (Environment.UserName == "root")
        {
            using var chown = Process.Start("chown", ["postgres:postgres", path])!;
            chown.WaitForExit();
        }
    }

    private async Task<bool> OkAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task UntilAsync(Func<Task<bool>> done, string what, Process process, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (process.HasExited || deadline.Elapsed > (limit ?? TimeSpan.FromSeconds(90)))
            {
                throw new InvalidOperationException($"not so after {deadline.Elapsed.TotalSeconds:0} s: {what}\n{ReadLog("etcd.log")}\n{ReadLog("patroni-0.log")}\n{ReadLog("patroni-1.log")}");
            }
            await Task.Delay(250);
        }
    }

    private string ReadLog(string name)
    {
        var path = Path.Combine(_root, name);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return $"--- {name}\n" + new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var node = 0; node < 2; node++)
        {
            KillPostmaster(node);
            if (_patroni[node] is { } p)
            {
                await KillAsync(p);
                p.Dispose();
            }
        }
        if (_etcd is { } etcd)
        {
            await KillAsync(etcd);
            etcd.Dispose();
        }
        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
