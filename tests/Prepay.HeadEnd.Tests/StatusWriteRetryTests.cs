using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// A meter's status whose write loses its database connection (as in a failover or a restart) is written again once
/// the database answers, and only then reported stored: the message is acknowledged late, never dropped.
/// </summary>
public sealed class StatusWriteRetryTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatusAndAckWriter Writer => server.Services.GetRequiredService<StatusAndAckWriter>();

    private string ConnectionString => server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString();

    [Fact]
    public async Task A_status_whose_connection_is_cut_mid_write_is_written_again_and_only_then_reported_stored()
    {
        server.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        Guid meterId;
        await using (var scope = server.Scope())
        {
            meterId = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        }

        // The writer's transaction waits behind a lock held here, then its connection is terminated under it.
        await using var blocker = new NpgsqlConnection(ConnectionString);
        await blocker.OpenAsync(Ct);
        var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockStatus = new NpgsqlCommand("LOCK TABLE meter_status IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockStatus.ExecuteNonQueryAsync(Ct);
        }
        var retries = Writer.Retries;
        var stored = await Writer.StatusAsync(meterId, new MeterStatus(true, "connected", new Prepay.Domain.Energy.Energy(4_321), null, null, null), Ct);

        var killed = 0L;
        await LoopHarness.EventuallyAsync(async () =>
        {
            await using var kill = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE NOT granted AND relation = 'meter_status'::regclass AND pid <> pg_backend_pid()
                """, blocker);
            killed = (long)(await kill.ExecuteScalarAsync(Ct))!;
            return killed > 0;
        }, "the writer waits on the lock and is cut off");
        await LoopHarness.EventuallyAsync(() => Task.FromResult(Writer.Retries > retries), "the writer tries the batch again");
        Assert.False(stored.IsCompleted, "a status that is not stored must not be reported stored");

        await hold.RollbackAsync(Ct);
        await stored.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await using (var scope = server.Scope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterStatus.AsNoTracking().SingleAsync(m => m.MeterId == meterId, Ct);
            Assert.Equal(4_321, row.CreditWh);
        }
    }

    [Theory]
    [InlineData("57P01", true)] // admin shutdown: the server is going down (a failover)
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("40P01", true)] // deadlock
    [InlineData("23505", false)] // a unique key: the content, not the moment
    [InlineData("22003", false)] // a value out of range
    public void Only_a_database_that_cannot_answer_now_is_waited_out(string sqlState, bool unavailable) =>
        Assert.Equal(unavailable, WriteTransactions.IsUnavailable(new Microsoft.EntityFrameworkCore.DbUpdateException("save failed",
            new PostgresException("m", "ERROR", "ERROR", sqlState))));

    [Fact]
    public void No_suitable_host_among_several_is_waited_out_as_a_failover()
    {
        Assert.True(WriteTransactions.IsUnavailable(new InvalidOperationException("open failed", new NpgsqlException("No suitable host was found."))));
        Assert.False(WriteTransactions.IsUnavailable(new InvalidOperationException("a bug, not the database")));
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(5, 4000)]
    [InlineData(6, 5000)]
    [InlineData(1000, 5000)]
    public void Tries_back_off_from_a_quarter_second_to_five_seconds(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), StatusAndAckWriter.RetryDelay(failures));
}
