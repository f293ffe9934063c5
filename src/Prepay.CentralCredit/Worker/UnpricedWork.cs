using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// What is left to price, read from committed rows only: the readings queued in <c>central_credit_pending</c> (by the
/// triggers on <c>readings</c>, see the <c>CentralCreditQueue</c> migration) and the <c>reading_adjustments</c> of
/// intervals already priced and not yet posted. A queued reading is taken off the queue in the round's write
/// transaction, whatever becomes of it: priced, or dropped because it is not to be priced (suspect, priced already,
/// outside the meter's central stretch); a round that cannot price it yet puts it back (<see cref="RequeueAsync"/>).
/// </summary>
internal static class UnpricedWork
{
    /// <summary>A queued reading as the round found it: its values, none when the reading is gone, and whether its interval is priced already.</summary>
    public sealed record Queued(Guid MeterId, Instant At, long? DeltaWh, string? Quality, bool Priced);

    public static IQueryable<ReadingAdjustment> Adjustments(PrepayDb db) =>
        from a in db.ReadingAdjustments.AsNoTracking()
        where db.CentralCreditIntervals.Any(p => p.MeterId == a.MeterId && p.At == a.At)
              && !db.CentralCreditAdjustments.Any(p => p.AdjustmentId == a.Id)
        select a;

    /// <summary>
    /// Meters with work, at most <paramref name="limit"/> meters and only as many as it takes to reach
    /// <paramref name="batch"/> items (at least one meter): a round claims and reads no meter it will not price, and
    /// takes its readings from those few. The queue is read in its key's order (meter, then interval) for at most a
    /// batch of rows, so finding the work costs the same however long the queue has grown; every queued row is reached,
    /// as each round takes off what it read. Each meter with the first and last interval end to price or correct.
    /// </summary>
    public static async Task<List<(Guid Meter, Instant First, Instant Last)>> MetersAsync(PrepayDb db, int limit, int batch, CancellationToken ct)
    {
        var fromReadings = await db.CentralCreditPending.AsNoTracking().OrderBy(r => r.MeterId).ThenBy(r => r.At).Take(batch)
            .GroupBy(r => r.MeterId)
            .Select(g => new { g.Key, First = g.Min(r => r.At), Last = g.Max(r => r.At), Count = g.Count() })
            .Take(limit).ToListAsync(ct);
        var fromAdjustments = await Adjustments(db).GroupBy(a => a.MeterId).Select(g => new { g.Key, First = g.Min(r => r.At), Last = g.Max(r => r.At), Count = g.Count() })
            .ToListAsync(ct);
        var meters = fromReadings.Concat(fromAdjustments)
            .GroupBy(m => m.Key)
            .Select(g => (Meter: g.Key, First: g.Min(x => x.First), Last: g.Max(x => x.Last), Count: g.Sum(x => x.Count)))
            .OrderBy(m => m.First)
            .Take(limit)
            .ToList();
        var taken = 0;
        var enough = meters.TakeWhile(m => (taken += m.Count) - m.Count < batch).ToList();
        return enough.Select(m => (m.Meter, m.First, m.Last)).ToList();
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> queued readings of the claimed meters off the queue, oldest first per
    /// meter, in the caller's write transaction. On PostgreSQL the rows are deleted before the readings are read, so
    /// a writer that queues one of them again meanwhile waits for this transaction and queues it anew after it.
    /// </summary>
    public static async Task<List<Queued>> TakeAsync(PrepayDb db, IReadOnlyCollection<Guid> meters, int limit, CancellationToken ct)
    {
        var taken = new List<Queued>();
        if (meters.Count == 0)
        {
            return taken;
        }
        var (connection, tx) = Connection(db);
        await using var take = connection.CreateCommand();
        take.Transaction = tx;
        if (connection is NpgsqlConnection)
        {
            // Shaped so that its plan does not depend on statistics: the queue rows by their row ids, each reading
            // and each priced interval looked up by its key (a LIMIT keeps a lateral subquery from being flattened
            // into a join the planner may hash over the whole table, as it does on tables it believes small).
            take.CommandText = """
                WITH taken AS (
                    DELETE FROM central_credit_pending
                    WHERE ctid = ANY(ARRAY(SELECT ctid FROM central_credit_pending WHERE meter_id = ANY(@meters) ORDER BY meter_id, at LIMIT @limit))
                    RETURNING meter_id, at)
                SELECT t.meter_id, t.at, r.delta_wh, r.quality, p.priced IS NOT NULL
                FROM taken t
                LEFT JOIN LATERAL (SELECT delta_wh, quality FROM readings WHERE meter_id = t.meter_id AND at = t.at LIMIT 1) r ON true
                LEFT JOIN LATERAL (SELECT true AS priced FROM central_credit_intervals WHERE meter_id = t.meter_id AND at = t.at LIMIT 1) p ON true
                ORDER BY t.meter_id, t.at
                """;
            take.Parameters.Add(new NpgsqlParameter("meters", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = meters.ToArray() });
            take.Parameters.Add(new NpgsqlParameter("limit", limit));
            await ReadAsync(take, taken, ct);
            return taken;
        }
        // SQLite: the write transaction is the one writer, so the same selection read and then deleted is one set.
        var list = string.Join(", ", meters.Select((_, i) => $"$m{i}"));
        var selection = $"SELECT meter_id, at FROM central_credit_pending WHERE meter_id IN ({list}) ORDER BY meter_id, at LIMIT $limit";
        take.CommandText = $"""
            SELECT q.meter_id, q.at, r.delta_wh, r.quality,
                   EXISTS (SELECT 1 FROM central_credit_intervals p WHERE p.meter_id = q.meter_id AND p.at = q.at)
            FROM ({selection}) q LEFT JOIN readings r ON r.meter_id = q.meter_id AND r.at = q.at
            ORDER BY q.meter_id, q.at;
            DELETE FROM central_credit_pending WHERE (meter_id, at) IN ({selection});
            """;
        var i = 0;
        foreach (var meter in meters)
        {
            take.Parameters.Add(new SqliteParameter($"$m{i++}", SqliteText(meter)));
        }
        take.Parameters.Add(new SqliteParameter("$limit", limit));
        await ReadAsync(take, taken, ct);
        return taken;
    }

    /// <summary>Puts readings a round could not price yet back on the queue, in the round's transaction.</summary>
    public static async Task RequeueAsync(PrepayDb db, IReadOnlyCollection<Queued> readings, CancellationToken ct)
    {
        foreach (var r in readings)
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO central_credit_pending (meter_id, at) VALUES ({Key(db, r.MeterId)}, {r.At.ToUnixTimeTicks()}) ON CONFLICT DO NOTHING", ct);
        }
    }

    /// <summary>
    /// Queues the readings already stored for a meter after <paramref name="from"/> and not priced, in the caller's
    /// transaction that makes the meter central from then. On PostgreSQL the readings table is held in SHARE mode
    /// until that commit: a writer whose statement ran before the meter's new state row was visible to it has
    /// committed (and is queued here), and one that runs after sees the row (and queues itself by the trigger).
    /// </summary>
    public static async Task QueueStoredAsync(PrepayDb db, Guid meterId, Instant from, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE readings IN SHARE MODE", ct);
        }
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO central_credit_pending (meter_id, at)
            SELECT r.meter_id, r.at FROM readings r
            WHERE r.meter_id = {Key(db, meterId)} AND r.at > {from.ToUnixTimeTicks()}
              AND NOT EXISTS (SELECT 1 FROM central_credit_intervals p WHERE p.meter_id = r.meter_id AND p.at = r.at)
            ON CONFLICT DO NOTHING
            """, ct);
    }

    private static async Task ReadAsync(DbCommand command, List<Queued> into, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            into.Add(new Queued(
                reader.GetGuid(0),
                Instant.FromUnixTimeTicks(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4)));
        }
    }

    private static (DbConnection, DbTransaction) Connection(PrepayDb db) =>
        (db.Database.GetDbConnection(),
         db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("The queue is taken inside the round's write transaction."));

    private static object Key(PrepayDb db, Guid id) => db.Provider == DatabaseProvider.Sqlite ? SqliteText(id) : id;

    // EF Core stores a Guid in SQLite as upper-case text; raw commands must match it.
    private static string SqliteText(Guid id) => id.ToString().ToUpperInvariant();
}
