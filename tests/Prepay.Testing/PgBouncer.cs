using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Prepay.Testing;

/// <summary>
/// Debian's <c>pgbouncer</c> (1.18 on Debian 12) in front of a PostgreSQL server, as docs/operations.md sets it up:
/// transaction pooling, every database of the server under its own name, on a free loopback port, with a
/// configuration and user list of its own in a temporary directory. When the tests run as root it runs as the
/// <c>postgres</c> user (pgbouncer refuses root), through <c>setpriv</c> so that the process the test holds is
/// pgbouncer itself. Its admin console (database <c>pgbouncer</c>) answers <see cref="ShowAsync"/>. Absent pgbouncer
/// skips the tests unless <c>PREPAY_TEST_REQUIRE_PGBOUNCER=1</c> (build.sh sets it).
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/pgbouncer";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "prepay-pgbouncer", Guid.NewGuid().ToString("N")[..12]);
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly int _poolSize;
    private Process? _process;

    private PgBouncer(string server, int poolSize) => (_server, _poolSize) = (new NpgsqlConnectionStringBuilder(server), poolSize);

    public static bool Required => Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_PGBOUNCER") == "1";

    public static bool Available => File.Exists(Binary) || Required;

    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(Available, "pgbouncer not installed (apt-get install pgbouncer; ./build.sh test installs it and sets PREPAY_TEST_REQUIRE_PGBOUNCER=1).");

    /// <summary>Where clients connect: 127.0.0.1 on this port.</summary>
    public int Port { get; } = LoopbackPorts.Free();

    public string Log => ReadLog();

    /// <summary>
    /// Starts pgbouncer in front of the server <paramref name="server"/> names (its one host, port and user; the password,
    /// if any, is what pgbouncer logs in to the server with) and waits until a query through it reaches that server.
    /// <paramref name="poolSize"/> is how many server connections it opens per database at most (1: every client's
    /// transactions on one server connection, one after another).
    /// </summary>
    public static async Task<PgBouncer> StartAsync(string server, int poolSize = 20)
    {
        var bouncer = new PgBouncer(server, poolSize);
        try
        {
            await bouncer.StartAsync();
            return bouncer;
        }
        catch
        {
            await bouncer.DisposeAsync();
            throw;
        }
    }

    /// <summary><paramref name="connectionString"/> with pgbouncer for its host: same database, user and settings.</summary>
    public string ConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    private string User => _server.Username ?? "postgres";

    private async Task StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException("PREPAY_TEST_REQUIRE_PGBOUNCER=1 but pgbouncer is not installed (apt-get install pgbouncer)");
        }
        Directory.CreateDirectory(_root);
        var config = Path.Combine(_root, "pgbouncer.ini");
        var users = Path.Combine(_root, "userlist.txt");
        // trust between the client and pgbouncer; the password (empty on a server that trusts loopback) is what pgbouncer logs in to the server with.
        await File.WriteAllTextAsync(users, $"\"{User}\" \"{_server.Password ?? ""}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite); // pgbouncer's alone, after the chown below
        }
        await File.WriteAllTextAsync(config, Config(users));
        foreach (var path in (string[])[_root, config, users])
        {
            OwnedByPostgres(path);
        }
        _process = Start(config);
        var probe = new NpgsqlConnectionStringBuilder(ConnectionString(_server.ConnectionString)) { Pooling = false, Timeout = 3 }.ConnectionString;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
                await using var select = new NpgsqlCommand("SELECT 1", connection);
                await select.ExecuteScalarAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new InvalidOperationException($"pgbouncer did not pass a query on within {waited.Elapsed.TotalSeconds:0} s ({e.Message}):\n{Log}");
                }
                await Task.Delay(100);
            }
        }
    }

    // Every database of the server under its own name (the tests make a database each); the admin console for the
    // server's user; no Unix socket (the test runs several); connections not logged one by one (a run makes thousands).
    private string Config(string users) => $"""
        [databases]
        * = host={_server.Host} port={_server.Port}

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = {Port}
        unix_socket_dir =
        auth_type = trust
        auth_file = {users}
        admin_users = {User}
        pool_mode = transaction
        max_client_conn = 1000
        default_pool_size = {_poolSize}
        log_connections = 0
        log_disconnections = 0
        """;

    /// <summary>
    /// Runs <c>SHOW <paramref name="what"/></c> on the admin console and returns its rows, each column by name. The
    /// console speaks only the simple query protocol, which Npgsql never uses, so this is a minimal client of its own.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string?>>> ShowAsync(string what)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        await using var stream = tcp.GetStream();
        var startup = Encoding.UTF8.GetBytes($"user\0{User}\0database\0pgbouncer\0\0");
        var message = new byte[8 + startup.Length];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), 196608); // protocol 3.0
        startup.CopyTo(message, 8);
        await stream.WriteAsync(message);
        await ReadUntilReadyAsync(stream, null, null);
        var query = Encoding.UTF8.GetBytes($"SHOW {what}\0");
        message = new byte[5 + query.Length];
        message[0] = (byte)'Q';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + query.Length);
        query.CopyTo(message, 5);
        await stream.WriteAsync(message);
        var columns = new List<string>();
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        await ReadUntilReadyAsync(stream, columns, rows);
        await stream.WriteAsync("X\0\0\0\u0004"u8.ToArray()); // Terminate
        return rows;
    }

    /// <summary>Reads messages up to ReadyForQuery: row descriptions and rows into the lists, an error as an exception.</summary>
    private static async Task ReadUntilReadyAsync(NetworkStream stream, List<string>? columns, List<IReadOnlyDictionary<string, string?>>? rows)
    {
        var header = new byte[5];
        while (true)
        {
            await stream.ReadExactlyAsync(header);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
            await stream.ReadExactlyAsync(body);
            int at;
            switch ((char)header[0])
            {
                case 'R' when BinaryPrimitives.ReadInt32BigEndian(body) != 0:
                    throw new InvalidOperationException("pgbouncer's admin console asked for a password (auth_type trust expected)");
                case 'E':
                    throw new InvalidOperationException("pgbouncer's admin console: " + Encoding.UTF8.GetString(body).Replace('\0', ' ').Trim());
                case 'T':
                    at = 2;
                    for (var n = BinaryPrimitives.ReadInt16BigEndian(body); n > 0; n--)
                    {
                        var end = Array.IndexOf(body, (byte)0, at);
                        columns!.Add(Encoding.UTF8.GetString(body, at, end - at));
                        at = end + 1 + 18; // past the name: table oid, column, type oid, size, modifier, format
                    }
                    break;
                case 'D':
                    var row = new Dictionary<string, string?>();
                    at = 2;
                    for (int i = 0, n = BinaryPrimitives.ReadInt16BigEndian(body); i < n; i++)
                    {
                        var length = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(at));
                        row[columns![i]] = length < 0 ? null : Encoding.UTF8.GetString(body, at + 4, length);
                        at += 4 + Math.Max(length, 0);
                    }
                    rows!.Add(row);
                    break;
                case 'Z':
                    return;
            }
        }
    }

    /// <summary>pgbouncer with its configuration file, as the <c>postgres</c> user when the tests run as root.</summary>
    private Process Start(string config)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "/usr/bin/setpriv" : Binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        if (root)
        {
            foreach (var a in (string[])["--reuid=postgres", "--regid=postgres", "--init-groups", Binary])
            {
                start.ArgumentList.Add(a);
            }
        }
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("pgbouncer did not start");
        var writer = File.AppendText(Path.Combine(_root, "pgbouncer.log"));
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

    /// <summary>A number from a <see cref="ShowAsync"/> row.</summary>
    public static long Number(IReadOnlyDictionary<string, string?> row, string column) =>
        long.Parse(row[column] ?? "0", CultureInfo.InvariantCulture);

    private string ReadLog()
    {
        try
        {
            using var stream = new FileStream(Path.Combine(_root, "pgbouncer.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public ValueTask DisposeAsync() => ChildProcess.StopAsync(_process, _root);
}
