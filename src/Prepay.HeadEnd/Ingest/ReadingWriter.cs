using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Writes a batch of readings through each provider's bulk path and returns how many were new. A reading already
/// stored (same meter and instant) is skipped by the primary key, never written twice.
/// <para>
/// PostgreSQL: readings later than anything stored for their meter (<see cref="LatestStored"/>) go by one binary COPY
/// straight into <c>readings</c>; the rest (repeats, late arrivals, meters not seen since start) by binary COPY into a
/// temporary table and one INSERT … ON CONFLICT DO NOTHING from it, in the same transaction. Should the straight COPY
/// meet a stored row after all (another node wrote it), the transaction is rolled back and the whole batch goes the
/// careful way. SQLite: one transaction with one prepared INSERT … ON CONFLICT DO NOTHING reused for every row.
/// </para>
/// </summary>
public static class ReadingWriter
{
    private const string Columns = "(meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w)";

    public static Task<int> WriteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, LatestStored? latest, CancellationToken ct) =>
        rows.Count == 0 ? Task.FromResult(0)
        : db.Provider == DatabaseProvider.Postgres ? WritePostgresAsync(db, rows, latest, ct)
        : WriteSqliteAsync(db, rows, ct);

    private static async Task<int> WritePostgresAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, LatestStored? latest, CancellationToken ct)
    {
        var (fresh, careful) = Split(rows, latest);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var inserted = 0;
        var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            if (fresh.Count > 0)
            {
                try
                {
                    await CopyAsync(connection, "readings", fresh, ct);
                    inserted = fresh.Count;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    await tx.RollbackAsync(ct);
                    await tx.DisposeAsync();
                    tx = await connection.BeginTransactionAsync(ct);
                    careful = rows;
                }
            }
            if (careful.Count > 0)
            {
                await using (var create = new NpgsqlCommand(
                    "CREATE TEMP TABLE IF NOT EXISTS readings_incoming (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection, tx))
                {
                    await create.ExecuteNonQueryAsync(ct);
                }
                await CopyAsync(connection, "readings_incoming", careful, ct);
                await using var move = new NpgsqlCommand(
                    $"INSERT INTO readings {Columns} SELECT {Columns[1..^1]} FROM readings_incoming ORDER BY meter_id, at ON CONFLICT (meter_id, at) DO NOTHING", connection, tx);
                inserted += await move.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            await tx.DisposeAsync();
        }
        latest?.Record(rows);
        return inserted;
    }

    /// <summary>
    /// The rows known to be later than anything stored for their meter, in key order (index pages filled in order,
    /// a repeat inside the batch found as a neighbour), and the rest.
    /// </summary>
    private static (List<IntervalReading> Fresh, IReadOnlyList<IntervalReading> Careful) Split(IReadOnlyList<IntervalReading> rows, LatestStored? latest)
    {
        if (latest is null)
        {
            return ([], rows);
        }
        var fresh = new List<IntervalReading>(rows.Count);
        var careful = new List<IntervalReading>();
        foreach (var r in rows)
        {
            (latest.IsLater(r) ? fresh : careful).Add(r);
        }
        fresh.Sort(static (x, y) => x.MeterId != y.MeterId ? x.MeterId.CompareTo(y.MeterId) : x.At.CompareTo(y.At));
        var kept = 0;
        for (var i = 0; i < fresh.Count; i++)
        {
            if (kept > 0 && fresh[kept - 1].MeterId == fresh[i].MeterId && fresh[kept - 1].At == fresh[i].At)
            {
                careful.Add(fresh[i]);
                continue;
            }
            fresh[kept++] = fresh[i];
        }
        fresh.RemoveRange(kept, fresh.Count - kept);
        return (fresh, careful);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, IReadOnlyList<IntervalReading> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} {Columns} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rows)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(r.MeterId, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(r.At.ToUnixTimeTicks(), NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(r.EnergyWh, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(r.DeltaWh, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(r.CreditWh, NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(r.VoltageDv, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(r.CurrentMa, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(r.PowerW, NpgsqlDbType.Integer, ct);
        }
        await importer.CompleteAsync(ct);
    }

    private static async Task<int> WriteSqliteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        insert.CommandText = $"INSERT INTO readings {Columns} VALUES ($m, $a, $e, $d, $c, $v, $i, $p) ON CONFLICT (meter_id, at) DO NOTHING";
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var a = insert.Parameters.Add("$a", SqliteType.Integer);
        var e = insert.Parameters.Add("$e", SqliteType.Integer);
        var d = insert.Parameters.Add("$d", SqliteType.Integer);
        var c = insert.Parameters.Add("$c", SqliteType.Integer);
        var v = insert.Parameters.Add("$v", SqliteType.Integer);
        var i = insert.Parameters.Add("$i", SqliteType.Integer);
        var p = insert.Parameters.Add("$p", SqliteType.Integer);
        insert.Prepare();
        var inserted = 0;
        var lastId = Guid.Empty;
        string? lastText = null;
        foreach (var r in rows)
        {
            if (r.MeterId != lastId || lastText is null)
            {
                // EF Core stores a Guid in SQLite as upper-case text; the bulk path must write the same form.
                lastId = r.MeterId;
                lastText = r.MeterId.ToString().ToUpperInvariant();
            }
            m.Value = lastText;
            a.Value = r.At.ToUnixTimeTicks();
            e.Value = r.EnergyWh;
            d.Value = r.DeltaWh;
            c.Value = r.CreditWh;
            v.Value = r.VoltageDv;
            i.Value = r.CurrentMa;
            p.Value = r.PowerW;
            // SQLite runs on the calling thread whatever the method; the synchronous call spares a task per row.
            inserted += insert.ExecuteNonQuery();
        }
        await tx.CommitAsync(ct);
        return inserted;
    }
}
