using Npgsql;
using Prepay.Testing;

namespace Prepay.Cli.Tests.Cluster;

/// <summary>
/// PostgreSQL fails over under load: two <c>prepay serve</c> nodes on a Patroni pair (etcd, synchronous replication)
/// through a multi-host connection string, a fleet publishing and buyers vending, and the primary killed with SIGKILL
/// (Patroni and its postmaster). The standby is promoted, the nodes find it, buyers whose vend met the dead primary
/// send it again with the same idempotency key, and afterwards every vend answered is there once, with everything
/// else the loop must not lose or double (<see cref="NothingLostOrDoubled"/>).
/// </summary>
public sealed class PatroniFailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)] // bounded: a hang fails here rather than holding the suite
    public async Task The_primary_killed_during_vends_loses_no_answered_vend_and_doubles_none()
    {
        PatroniCluster.SkipUnlessAvailable();
        MosquittoBroker.SkipUnlessAvailable();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        await using var patroni = new PatroniCluster();
        await patroni.StartAsync();
        Phase("Patroni pair up");
        await using var cluster = await ClusterNodes.CreateAsync(2, await patroni.CreateDatabaseAsync());
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
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= 30, "the first vends answered", 60);
            Phase("vends answered; killing the primary");
            var killed = await patroni.KillPrimaryAsync();
            var vendsAtKill = load.Vends.Count;
            await patroni.PromotedAsync(1 - killed, TimeSpan.FromSeconds(60));
            Phase("standby promoted");
            await NothingLostOrDoubled.WaitForAsync(() => load.Vends.Count >= vendsAtKill + 30, "vends answered on the promoted primary", 90);
            Phase("vends answered on the new primary");
            await stop.CancelAsync();
            await running;

            Assert.Empty(load.Refusals);
            Assert.Contains(load.Vends, v => v.Attempts > 1); // some vend met the dead primary and was sent again
            await using var db = new NpgsqlConnection(cluster.ConnectionString);
            await db.OpenAsync(Ct);
            await using (var where = new NpgsqlCommand("SELECT inet_server_port()", db))
            {
                Assert.NotEqual(patroni.PortOf(killed), (int)(await where.ExecuteScalarAsync(Ct))!);
            }
            await NothingLostOrDoubled.DrainAsync(db, load);
            Phase("drained");
            TestContext.Current.TestOutputHelper?.WriteLine($"{load.Vends.Count} vends ({load.Vends.Count(v => v.Attempts > 1)} sent again)");
            await NothingLostOrDoubled.AssertAsync(db, cluster, load, meters);
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"--- node 0\n{cluster.Output(0)}\n--- node 1\n{cluster.Output(1)}\n{patroni.Log(0)}\n{patroni.Log(1)}");
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
}
