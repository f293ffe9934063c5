using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Prepay.HeadEnd.Ingest;
using Prepay.Storage.Cluster;
using Prepay.Storage.Readings;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Storage.Tests;

/// <summary>
/// Readings by the month: on PostgreSQL a month's partition is made ahead with what the default partition held of it,
/// and a month past the retention goes with its partition; on SQLite old readings are deleted. Each test's readings
/// are years away from the server's clock and from one another's, so the server's own round of the job does not meet them.
/// </summary>
public abstract class ReadingPartitionTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Instant Utc(int year, int month, int day) => Instant.FromUtc(year, month, day, 0, 0);

    private async Task<Guid> MeterWithReadingsAsync(params Instant[] at)
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var id = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        db.Readings.AddRange(at.Select((t, i) => new IntervalReading { MeterId = id, At = t, EnergyWh = 1000 + i, DeltaWh = 250 }));
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private async Task<List<Instant>> ReadingsAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Readings.Where(r => r.MeterId == meterId).OrderBy(r => r.At).Select(r => r.At).ToListAsync(Ct);
    }

    private async Task<string> PartitionOfAsync(Guid meterId, Instant at)
    {
        await using var connection = new NpgsqlConnection(server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString());
        await connection.OpenAsync(Ct);
        await using var query = new NpgsqlCommand("SELECT tableoid::regclass::text FROM readings WHERE meter_id = @m AND at = @at", connection);
        query.Parameters.AddWithValue("m", meterId);
        query.Parameters.AddWithValue("at", at.ToUnixTimeTicks());
        return (string)(await query.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task A_month_made_ahead_takes_in_its_readings_from_the_default_partition_and_a_month_past_the_cutoff_goes_whole()
    {
        server.SkipUnlessAvailable();
        Assert.SkipWhen(server.Provider != DatabaseProvider.Postgres, "Partitions are PostgreSQL's; SQLite deletes old readings (the other test).");
        var (march, may) = (Utc(2031, 3, 10), Utc(2031, 5, 10));
        var meter = await MeterWithReadingsAsync(march, may);
        Assert.Equal("readings_default", await PartitionOfAsync(meter, march));

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var made = await ReadingPartitions.EnsureMonthsAsync(db, Utc(2031, 3, 15), Ct);
        Assert.Equal(["readings_y2031m03", "readings_y2031m04", "readings_y2031m05", "readings_y2031m06"], made);
        Assert.Equal("readings_y2031m03", await PartitionOfAsync(meter, march));
        Assert.Equal("readings_y2031m05", await PartitionOfAsync(meter, may));
        var april = (await ReadingPartitions.ListAsync(db, Ct)).Single(p => p.Name == "readings_y2031m04");
        Assert.Equal((Utc(2031, 4, 1).ToUnixTimeTicks(), Utc(2031, 5, 1).ToUnixTimeTicks()), (april.From, april.To));
        Assert.Empty(await ReadingPartitions.EnsureMonthsAsync(db, Utc(2031, 3, 20), Ct)); // made once
        Assert.Equal([march, may], await ReadingsAsync(meter));

        var (dropped, _) = await ReadingPartitions.DropBeforeAsync(db, Utc(2031, 4, 1), Ct);
        Assert.Contains("readings_y2031m03", dropped);
        Assert.DoesNotContain("readings_y2031m04", dropped);
        Assert.Equal([may], await ReadingsAsync(meter));
        Assert.DoesNotContain(await ReadingPartitions.ListAsync(db, Ct), p => p.Name == "readings_y2031m03");
    }

    [Fact]
    public async Task The_job_keeps_the_retention_in_whole_months_and_makes_the_months_ahead()
    {
        server.SkipUnlessAvailable();
        // 24 months kept on 15 June 2035: readings from June 2033 on stay, May 2033's go.
        var meter = await MeterWithReadingsAsync(Utc(2033, 5, 31), Utc(2033, 6, 1), Utc(2035, 6, 14));
        var storage = server.Services.GetRequiredService<StorageOptions>();
        var retaining = new StorageOptions { Provider = storage.Provider, ConnectionString = storage.ConnectionString, DataDirectory = storage.DataDirectory, ReadingRetentionMonths = 24 };
        var clock = new FakeClock(Utc(2035, 6, 15));
        var job = new ReadingMonths(server.Services.GetRequiredService<IServiceScopeFactory>(), retaining,
            new JobLeases(server.Services.GetRequiredService<IServiceScopeFactory>(), new NodeIdentity(), clock), clock, NullLogger<ReadingMonths>.Instance);

        await job.RunOnceAsync(Ct);

        Assert.Equal([Utc(2033, 6, 1), Utc(2035, 6, 14)], await ReadingsAsync(meter));
        if (server.Provider == DatabaseProvider.Postgres)
        {
            await using var scope = server.Scope();
            var names = (await ReadingPartitions.ListAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), Ct)).Select(p => p.Name).ToList();
            Assert.Contains("readings_y2035m06", names);
            Assert.Contains("readings_y2035m09", names);
            Assert.Equal("readings_y2035m06", await PartitionOfAsync(meter, Utc(2035, 6, 14)));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(1201)]
    public void A_retention_that_would_drop_readings_still_needed_is_refused_at_start(int months)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddPrepayStorage(new StorageOptions { ReadingRetentionMonths = months, DataDirectory = Path.GetTempPath() }));
        Assert.Contains("Storage:ReadingRetentionMonths", e.Message, StringComparison.Ordinal);
    }
}

public sealed class ReadingPartitionSqliteTests(SqliteServer server) : ReadingPartitionTests(server), IClassFixture<SqliteServer>;

public sealed class ReadingPartitionPostgresTests(PostgresServer server) : ReadingPartitionTests(server), IClassFixture<PostgresServer>;
