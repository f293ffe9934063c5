using Npgsql;
using Prepay.HeadEnd.Commands;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Behind pgbouncer in transaction mode a connection's reset (Npgsql's DISCARD ALL when a pooled connection is used
/// again) is not the connection's own: pgbouncer runs it on whichever server connection it hands out, one that other
/// clients' transactions use too, dropping their temporary tables (the head-end's readings_incoming) and, with
/// pgbouncer's own prepared statements (1.21), those. The command notifications go out on connections that reset
/// nothing, like every other pooled connection of a node.
/// </summary>
public sealed class AnnounceThroughPgBouncerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Notifications_sent_through_pgbouncer_leave_the_server_connections_session_alone()
    {
        Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        PgBouncer.SkipUnlessAvailable();
        var direct = await Databases.CreatePostgresDatabaseAsync();
        // One server connection for the database: every client's transactions run on it.
        await using var bouncer = await PgBouncer.StartAsync(direct, poolSize: 1);
        await using (var other = new NpgsqlConnection(bouncer.ConnectionString(direct) + ";Pooling=false"))
        {
            await other.OpenAsync(Ct);
            await using var create = new NpgsqlCommand("CREATE TEMP TABLE other_client (x int)", other);
            await create.ExecuteNonQueryAsync(Ct);
        }
        var storage = new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = bouncer.ConnectionString(direct) + ";Max Auto Prepare=0" };

        // A pooled connection's reset goes out with its next use: two notifications on the announcer's pool.
        for (var i = 0; i < 2; i++)
        {
            await using var announcer = new NpgsqlConnection(CommandNotifications.AnnounceConnectionString(storage));
            await announcer.OpenAsync(Ct);
            await CommandNotifications.NotifyAsync(announcer, Ct);
        }

        await using var db = new NpgsqlConnection(direct);
        await db.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname = 'other_client' AND relpersistence = 't'", db);
        Assert.Equal(1L, await count.ExecuteScalarAsync(Ct));
    }
}
