using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Prepay.Server;
using Prepay.Storage;

namespace Prepay.Testing;

/// <summary>
/// A real Prepay server on a loopback port with a real database (a fresh SQLite file or a fresh PostgreSQL
/// database) and a fake clock. Tests talk to it over HTTP only, as clients do.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public const string AdminKey = "pp_test-admin-key-0123456789abcdef";

    /// <summary>
    /// A TEST vending key (64 bits, DKGA-02) for the test servers only; it is no supply group's key. Tokens made
    /// with it are decoded in the tests with decoder keys derived from it the same way.
    /// </summary>
    public const string TestVendingKeyHex = "0123456789abcdef";

    private WebApplication? _app;
    private ServerSettings? _settings;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "prepay-tests", Guid.NewGuid().ToString("N"));

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 23, 8, 0));

    /// <summary>The clock the server runs on: <see cref="Clock"/>, unless a fixture runs it on a simulation's.</summary>
    protected virtual IClock ServerClock => Clock;

    /// <summary>What the server logged at error level or above, across restarts.</summary>
    public LogCapture Logs { get; } = new();

    public abstract DatabaseProvider Provider { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Command-line arguments of the server (e.g. <c>--environment Development</c> for pages' forms over plain http).</summary>
    protected virtual string[] Args => [];

    /// <summary>Skips the calling test when its database is not available here (PostgreSQL outside the test command).</summary>
    public void SkipUnlessAvailable() =>
        Assert.SkipUnless(Provider != DatabaseProvider.Postgres || Databases.PostgresAvailable,
            "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");

    public async ValueTask InitializeAsync()
    {
        if (Provider == DatabaseProvider.Postgres && !Databases.PostgresAvailable)
        {
            return;
        }
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = Provider.ToString(),
            ["BOOTSTRAP_API_KEY"] = AdminKey,
            ["RateLimit:PermitsPerSecond"] = "100000",
            ["RateLimit:Burst"] = "100000",
            ["RateLimit:PerAddressPermitsPerSecond"] = "100000",
            ["RateLimit:PerAddressBurst"] = "100000",
            ["RateLimit:SignInPerMinute"] = "100000",
            ["RateLimit:RechargePerMinute"] = "100000",
            ["RateLimit:CallbacksPerSecond"] = "100000",
            ["RateLimit:CallbacksBurst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            // Each test server gets its own embedded broker on a free loopback port.
            ["Mqtt:Port"] = "0",
            // Tests run meters' days in seconds: far above a real meter's rate, so far above the limits too.
            ["Mqtt:Limits:MessagesPerMinute"] = "1000000",
            ["Mqtt:Limits:EventsPerMinute"] = "1000000",
            ["Sts:VendingKeyHex"] = TestVendingKeyHex,
            // Tests that are not about the disconnection policy send disconnects at any hour of the fake clock; those
            // that are assign a policy (which wins over the default) or put the shipped default back.
            ["Disconnections:DefaultPolicyFile"] = WriteAnytimePolicy(),
            // Pushed rules are queued commands that would sit before a test's own; the tests of the push run it by hand.
            ["Disconnections:PushPolicies"] = "false",
        };
        if (Provider == DatabaseProvider.Postgres)
        {
            settings["Storage:ConnectionString"] = await Databases.CreatePostgresDatabaseAsync();
        }
        foreach (var (k, v) in ExtraSettings)
        {
            settings[k] = v;
        }
        _settings = new ServerSettings
        {
            Args = Args,
            Urls = "http://127.0.0.1:0",
            DataDirectory = _dataDir,
            Overrides = settings,
            Clock = ServerClock,
        };
        await StartAsync();
    }

    /// <summary>A policy for the test servers only: no rule refuses a disconnection at any instant.</summary>
    public const string AnytimePolicyJson = """
        {
          "code": "TEST-ANYTIME", "name": "Test servers: disconnection at any time", "version": 1, "effectiveFrom": "2000-01-01",
          "timeZone": "Etc/UTC", "currency": "USD", "source": ["Prepay's test servers; no jurisdiction's rule"]
        }
        """;

    private string WriteAnytimePolicy()
    {
        Directory.CreateDirectory(_dataDir);
        var path = Path.Combine(_dataDir, "test-anytime-policy.json");
        File.WriteAllText(path, AnytimePolicyJson);
        return path;
    }

    /// <summary>
    /// Stops the server and starts a new one on the same database and data directory (new ports), running
    /// <paramref name="whileStopped"/> in between.
    /// </summary>
    public async Task RestartAsync(Func<Task>? whileStopped = null)
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }
        await StartAsync();
    }

    private async Task StartAsync()
    {
        _app = PrepayServer.Build(_settings!);
        await _app.PrepareAsync();
        _app.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public HttpClient Client(string? apiKey = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    private readonly SemaphoreSlim _approverGate = new(1, 1);
    private string? _approverKey;

    /// <summary>
    /// A second admin's API key (made once per server): money that moves outside a sale needs a second person, and
    /// <see cref="AdminKey"/> is the first.
    /// </summary>
    public async Task<string> ApproverKeyAsync()
    {
        await _approverGate.WaitAsync();
        try
        {
            if (_approverKey is null)
            {
                using var admin = Client();
                var created = await Scenario.Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "second-admin", role = "admin" }));
                _approverKey = created["key"]!.GetValue<string>();
            }
            return _approverKey;
        }
        finally
        {
            _approverGate.Release();
        }
    }

    /// <summary>A fresh database context on the server's database, for checking what was (not) written.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null && BaseAddress is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class SqliteServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>A server whose meters without an assigned policy are decided by the shipped conservative default.</summary>
public abstract class ShippedPolicyServer : ServerFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Disconnections:DefaultPolicyFile"] = "" };
}

public sealed class ShippedPolicySqliteServer : ShippedPolicyServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ShippedPolicyPostgresServer : ShippedPolicyServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
