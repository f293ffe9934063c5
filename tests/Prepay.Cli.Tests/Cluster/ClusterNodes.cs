using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Cli.Bench;
using Prepay.Server;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.People;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// Several <c>prepay serve</c> processes on loopback, as an operator runs them: one PostgreSQL database, one Mosquitto
/// the nodes' head-ends share, one SMTP server for the customers' messages, the same secrets in every node's
/// environment and a client id of each node's own. The database is migrated (and its first admin key and one person
/// made) before any node starts, as the operations guide says to do before a rolling start.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public const string AdminKey = "pp_cluster-admin-key-0123456789abcdef";
    public const string PersonName = "cluster-person";
    public const string PersonPassword = "amber-5f3c9e1d7a2b-kite";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "prepay-cluster", Guid.NewGuid().ToString("N")[..12]);
    private readonly Dictionary<int, PrepayProcess> _processes = [];
    private readonly string _commandSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private readonly string _keyRingSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private ClusterNodes(string connectionString, string? nodeConnectionString, int nodes)
    {
        ConnectionString = connectionString;
        NodeConnectionString = nodeConnectionString;
        Ports = Enumerable.Range(0, nodes).Select(_ => LoopbackPorts.Free()).ToArray();
    }

    /// <summary>The database, directly: migrated and seeded through this, and read by the tests.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The nodes' <c>Storage:ConnectionString</c> when it is not <see cref="ConnectionString"/> (through a pooler); their
    /// <c>Storage:ListenConnectionString</c> is then <see cref="ConnectionString"/>, since LISTEN needs the server itself.
    /// </summary>
    public string? NodeConnectionString { get; }

    public MosquittoBroker Broker { get; } = new();

    public SmtpSink Smtp { get; } = new();

    /// <summary>Each node's HTTP port, kept across a restart.</summary>
    public IReadOnlyList<int> Ports { get; }

    public Uri Address(int node) => new($"http://127.0.0.1:{Ports[node]}");

    /// <summary>
    /// A fresh Mosquitto and SMTP server, and a database (<paramref name="connectionString"/>, or a fresh one on the
    /// test server) migrated and seeded; no node running yet. The nodes will use <paramref name="nodeConnectionString"/>
    /// when given (<see cref="NodeConnectionString"/>).
    /// </summary>
    public static async Task<ClusterNodes> CreateAsync(int nodes, string? connectionString = null, string? nodeConnectionString = null)
    {
        var cluster = new ClusterNodes(connectionString ?? await Databases.CreatePostgresDatabaseAsync(), nodeConnectionString, nodes);
        await cluster.Broker.StartAsync();
        await cluster.PrepareDatabaseAsync();
        return cluster;
    }

    private async Task PrepareDatabaseAsync()
    {
        await using var app = PrepayServer.Build(new ServerSettings
        {
            DataDirectory = Path.Combine(_root, "prepare"),
            Overrides = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = ConnectionString,
                ["BOOTSTRAP_API_KEY"] = AdminKey,
                ["Logging:LogLevel:Default"] = "Warning",
            },
        });
        await app.PrepareAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await PeopleAccounts.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        await PeopleAccounts.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PersonAccount>>(), PersonName, PersonPassword, PeopleRoles.Customer);
    }

    /// <summary>Starts node <paramref name="node"/> (again, after a kill: same port, same client id) and waits until it is ready.</summary>
    public async Task StartAsync(int node)
    {
        if (_processes.Remove(node, out var before))
        {
            before.Dispose();
        }
        var process = new PrepayProcess(Environment(node), "serve", "--urls", Address(node).ToString().TrimEnd('/'), "--data", Path.Combine(_root, $"node-{node}"));
        _processes[node] = process;
        using var probe = new HttpClient { BaseAddress = Address(node), Timeout = TimeSpan.FromSeconds(5) };
        // A bound against a hang, not a timing: on a loaded two-core machine a node has needed over 90 s to start.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            Assert.False(process.HasExited, $"node {node} exited while starting:\n{process.Output}");
            try
            {
                using var ready = await probe.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"node {node} was not ready within 180 s:\n{process.Output}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>SIGKILL: the node gets no chance to finish anything it holds (requests, batches, leases, its MQTT session).</summary>
    public Task KillAsync(int node) => _processes[node].KillAsync();

    public string Output(int node) => _processes.TryGetValue(node, out var p) ? p.Output : "";

    public HttpClient Client(int node, string? apiKey = AdminKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = Address(node),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    private Dictionary<string, string> Environment(int node)
    {
        var environment = NodeEnvironment.For(new NodeEnvironment.Shared(ConnectionString, Broker.ServicePort, Broker.Secret, _commandSecret, _keyRingSecret), $"prepay-node-{node}");
        environment["PREPAY_Alerts__Smtp__Host"] = "127.0.0.1";
        environment["PREPAY_Alerts__Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture);
        environment["PREPAY_Alerts__Smtp__Security"] = "None";
        environment["PREPAY_Alerts__Smtp__From"] = "alerts@prepay.test";
        if (NodeConnectionString is { } pooled)
        {
            environment["PREPAY_Storage__ConnectionString"] = pooled;
            environment["PREPAY_Storage__ListenConnectionString"] = ConnectionString;
        }
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            process.Dispose();
        }
        await Broker.DisposeAsync();
        Smtp.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
