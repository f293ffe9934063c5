using Npgsql;
using Prepay.HeadEnd.Commands;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// pgbouncer in front, as docs/operations.md sets it up: two <c>prepay serve</c> nodes whose
/// <c>Storage:ConnectionString</c> goes through Debian's pgbouncer (1.18) in transaction mode, with
/// <c>Max Auto Prepare=0</c> (1.18 keeps no prepared statement from one transaction to the next), and whose
/// <c>Storage:ListenConnectionString</c> goes to PostgreSQL directly (LISTEN is session state). The database is
/// migrated directly, as <c>prepay db migrate</c> would be. A fleet publishing and buyers vending across both nodes;
/// afterwards every vend answered is there once, with everything else the loop must not lose or double
/// (<see cref="NothingLostOrDoubled"/>), and the nodes' statements went through pgbouncer, their listeners not.
/// </summary>
public sealed class PgBouncerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)] // bounded: a hang fails here rather than holding the suite
    public async Task Two_nodes_through_pgbouncer_in_transaction_mode_lose_and_double_nothing()
    {
        Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        PgBouncer.SkipUnlessAvailable();
        MosquittoBroker.SkipUnlessAvailable();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        var direct = await Databases.CreatePostgresDatabaseAsync();
        await using var bouncer = await PgBouncer.StartAsync(direct);
        var pooled = bouncer.ConnectionString(direct) + ";Max Auto Prepare=0";
        await using var cluster = await ClusterNodes.CreateAsync(2, direct, pooled);
        Phase("pgbouncer up, database migrated directly");
        await using var db = new NpgsqlConnection(direct);
        await db.OpenAsync(Ct);
        var nodesStarted = await ScalarAsync<DateTime>(db, "SELECT now()");
        var meters = new List<BrokerMeter>();
        try
        {
            await cluster.StartAsync(0);
            await cluster.StartAsync(1);
            Phase("nodes ready");
            ClusterWorld world;
            using (var admin = cluster.Client(0))
            {
                world = await ClusterWorld.CreateAsync(admin, meters: 6);
            }
            await cluster.Broker.AddMetersAsync([.. world.Meters]);
            foreach (var number in world.Meters)
            {
                meters.Add(await NothingLostOrDoubled.ConnectAsync(cluster.Broker, number));
            }
            Phase("world made, meters connected");

            var load = new ClusterLoad(cluster, world, meters);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = load.RunAsync(buyers: 4, stop.Token);
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= 60, "60 vends answered", 60);
            await stop.CancelAsync();
            await running;
            Phase($"{load.Vends.Count} vends answered");

            Assert.Empty(load.Refusals);
            await NothingLostOrDoubled.DrainAsync(db, load);
            Phase("drained");
            TestContext.Current.TestOutputHelper?.WriteLine($"{load.Vends.Count} vends ({load.Vends.Count(v => v.Attempts > 1)} sent again), "
                + $"{load.Readings.Values.Sum(r => r.Count)} readings, {load.Events.Values.Sum(e => e.Count)} events, {cluster.Smtp.Messages().Count} emails");
            await NothingLostOrDoubled.AssertAsync(db, cluster, load, meters);
            await AssertThroughPgBouncerAsync(db, bouncer, new NpgsqlConnectionStringBuilder(direct).Database!, nodesStarted, load.Vends.Count);
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"--- node 0\n{cluster.Output(0)}\n--- node 1\n{cluster.Output(1)}\n--- pgbouncer\n{bouncer.Log}");
            throw;
        }
        finally
        {
            foreach (var m in meters)
            {
                await m.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Every backend the nodes hold on the database (opened since they started; not the test's own) is one of
    /// pgbouncer's server connections, except the two command listeners, which are direct; pgbouncer passed on at
    /// least a transaction per vend; and readings went the head-end's careful way, through its temporary table, on
    /// those server connections (the nodes have no other). The backends are read before pgbouncer's list, which can
    /// only have grown meanwhile (it closes an idle server connection after ten minutes).
    /// </summary>
    private static async Task AssertThroughPgBouncerAsync(NpgsqlConnection db, PgBouncer bouncer, string database, DateTime nodesStarted, int vends)
    {
        var backends = new List<(int Pid, string Application)>();
        await using (var activity = new NpgsqlCommand(
            "SELECT pid, coalesce(application_name, '') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_start >= @since", db))
        {
            activity.Parameters.AddWithValue("since", nodesStarted);
            await using var reader = await activity.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                backends.Add((reader.GetInt32(0), reader.GetString(1)));
            }
        }
        var servers = (await bouncer.ShowAsync("SERVERS")).Where(s => s["database"] == database).Select(s => (int)PgBouncer.Number(s, "remote_pid")).ToHashSet();
        var listeners = backends.Where(b => b.Application == CommandNotifications.ApplicationName).ToList();
        Assert.Equal(2, listeners.Count);
        Assert.DoesNotContain(listeners, l => servers.Contains(l.Pid));
        var statements = backends.Except(listeners).ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, b => Assert.Contains(b.Pid, servers));
        var stats = Assert.Single(await bouncer.ShowAsync("STATS"), s => s["database"] == database);
        Assert.True(PgBouncer.Number(stats, "total_xact_count") >= vends, $"pgbouncer passed on {stats["total_xact_count"]} transactions for {vends} vends");
        var incoming = await ScalarAsync<long>(db, "SELECT count(*) FROM pg_class WHERE relname = 'readings_incoming' AND relpersistence = 't'");
        Assert.True(incoming >= 1, "no readings went the careful way (a temporary table)");
        TestContext.Current.TestOutputHelper?.WriteLine($"{statements.Count} server connections through pgbouncer, {stats["total_xact_count"]} transactions, "
            + $"{stats["total_query_count"]} statements; readings' temporary table made on {incoming} server connections");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
