using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Writes a batch of readings through each provider's bulk path and returns how many were new: PostgreSQL by binary
/// COPY into a temporary table and one INSERT … ON CONFLICT DO NOTHING from it; SQLite in one transaction with one
/// prepared INSERT … ON CONFLICT DO NOTHING reused for every row. A reading already stored (same meter and instant)
/// is skipped by the primary key, not written twice.
/// </summary>
public static class ReadingWriter
{
    public static Task<int> WriteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, CancellationToken ct) =>
        rows.Count == 0 ? Task.FromResult(0)
        : db.Provider == DatabaseProvider.Postgres ? WritePostgresAsync(db, rows, ct)
        : WriteSqliteAsync(db, rows, ct);

    private static async Task<int> WritePostgresAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE IF NOT EXISTS readings_incoming (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection, tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY readings_incoming (meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w) FROM STDIN (FORMAT BINARY)", ct))
        {
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
        int inserted;
        await using (var move = new NpgsqlCommand(
            "INSERT INTO readings SELECT * FROM readings_incoming ON CONFLICT (meter_id, at) DO NOTHING", connection, tx))
        {
            inserted = await move.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return inserted;
    }

    private static async Task<int> WriteSqliteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        insert.CommandText = "INSERT INTO readings (meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w) " +
                             "VALUES ($m, $a, $e, $d, $c, $v, $i, $p) ON CONFLICT (meter_id, at) DO NOTHING";
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
        foreach (var r in rows)
        {
            // EF Core stores a Guid in SQLite as upper-case text; the bulk path must write the same form.
            m.Value = r.MeterId.ToString().ToUpperInvariant();
            a.Value = r.At.ToUnixTimeTicks();
            e.Value = r.EnergyWh;
            d.Value = r.DeltaWh;
            c.Value = r.CreditWh;
            v.Value = r.VoltageDv;
            i.Value = r.CurrentMa;
            p.Value = r.PowerW;
            inserted += await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return inserted;
    }
}
