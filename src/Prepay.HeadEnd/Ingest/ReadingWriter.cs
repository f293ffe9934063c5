using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Prepay.HeadEnd.Ingest.Quality;
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
/// <para>
/// A real reading beats an estimate, in the database: a real row (any quality but <c>estimated</c>) whose interval
/// holds an estimate claims that row in its INSERT (<c>ON CONFLICT … DO UPDATE … WHERE readings.quality =
/// 'estimated'</c>, an update that changes nothing but locks the row and returns the estimate's energy), and an
/// estimate never displaces anything (<c>DO NOTHING</c>). Another node may have committed the estimate after this one
/// validated its batch (under a shared subscription one node's history lags another's), so validation alone cannot
/// know. Each claimed estimate then goes the one replacement path (<see cref="ReplaceAsync"/>) with the replacements
/// validation found: an UPDATE that matches only while the row is still an estimate, and only then its adjustment,
/// in the same transaction as the batch's rows. Replacements are rare (a gap ending), so one statement pair each.
/// </para>
/// </summary>
public static class ReadingWriter
{
    private const string Columns = "(meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w, quality, quality_rule)";

    /// <summary>
    /// Rows as they are, without validation (benchmarks): returns how many were new. There is no replacement here: a
    /// stored estimate at a row's instant stands (the row counts as not new).
    /// </summary>
    public static async Task<int> WriteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, LatestStored? latest, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        var written = db.Provider == DatabaseProvider.Postgres
            ? await WritePostgresAsync(db, rows, latest, null, ct)
            : await WriteSqliteAsync(db, rows, null, ct);
        return written.Real + written.Estimates;
    }

    /// <summary>
    /// A validated batch: its new rows, real values over the estimates validation found and over those the inserts
    /// met, and an adjustment for each replacement, in one transaction.
    /// </summary>
    public static async Task<WrittenReadings> WriteAsync(PrepayDb db, ValidatedBatch batch, NodaTime.Instant now, LatestStored? latest, CancellationToken ct)
    {
        if (batch.Inserts.Count == 0 && batch.Replacements.Count == 0)
        {
            return new WrittenReadings(0, 0, 0);
        }
        var replaced = 0;
        Alongside alongside = async (connection, tx, claimed) =>
            replaced = await ReplaceAsync(db.Provider, connection, tx, [.. batch.Replacements, .. claimed], now, ct);
        var inserted = db.Provider == DatabaseProvider.Postgres
            ? await WritePostgresAsync(db, batch.Inserts, latest, alongside, ct)
            : await WriteSqliteAsync(db, batch.Inserts, alongside, ct);
        return inserted with { Replaced = replaced };
    }

    /// <summary>What runs in the batch's transaction after its inserts, given the estimates the real rows claimed.</summary>
    private delegate Task Alongside(DbConnection connection, DbTransaction tx, IReadOnlyList<(IntervalReading Row, long EstimatedWh)> claimed);

    /// <summary>
    /// The one replacement path: real values over an estimate, only while the row is one, and then its adjustment
    /// (real − estimated), in the caller's transaction. Returns how many were replaced.
    /// </summary>
    private static async Task<int> ReplaceAsync(DatabaseProvider provider, DbConnection connection, DbTransaction tx,
        IReadOnlyList<(IntervalReading Row, long EstimatedWh)> replacements, NodaTime.Instant now, CancellationToken ct)
    {
        var replaced = 0;
        foreach (var (r, estimatedWh) in replacements)
        {
            object meter = provider == DatabaseProvider.Postgres ? r.MeterId : r.MeterId.ToString().ToUpperInvariant();
            await using var update = connection.CreateCommand();
            update.Transaction = tx;
            update.CommandText = """
                UPDATE readings SET energy_wh = @e, delta_wh = @d, credit_wh = @c, voltage_dv = @v, current_ma = @i, power_w = @p, quality = @q, quality_rule = @r
                WHERE meter_id = @m AND at = @a AND quality = 'estimated'
                """;
            Add(update, "@e", r.EnergyWh); Add(update, "@d", r.DeltaWh); Add(update, "@c", r.CreditWh); Add(update, "@v", r.VoltageDv);
            Add(update, "@i", r.CurrentMa); Add(update, "@p", r.PowerW); Add(update, "@q", r.Quality); Add(update, "@r", (object?)r.QualityRule ?? DBNull.Value);
            Add(update, "@m", meter); Add(update, "@a", r.At.ToUnixTimeTicks());
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                continue; // no longer an estimate: replaced or edited meanwhile; nothing to adjust
            }
            await using var adjust = connection.CreateCommand();
            adjust.Transaction = tx;
            adjust.CommandText = "INSERT INTO reading_adjustments (meter_id, at, previous_wh, new_wh, cause, recorded_at) VALUES (@m, @a, @prev, @new, 'replaced', @now)";
            Add(adjust, "@m", meter); Add(adjust, "@a", r.At.ToUnixTimeTicks()); Add(adjust, "@prev", estimatedWh); Add(adjust, "@new", r.DeltaWh);
            Add(adjust, "@now", now.ToUnixTimeTicks());
            await adjust.ExecuteNonQueryAsync(ct);
            replaced++;
        }
        return replaced;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private const string Estimated = "estimated";

    private static bool IsEstimate(IntervalReading r) => r.Quality == Estimated;

    private static async Task<WrittenReadings> WritePostgresAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, LatestStored? latest,
        Alongside? alongside, CancellationToken ct)
    {
        var (fresh, careful) = Split(rows, latest);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var written = new WrittenReadings(0, 0, 0);
        var claimed = new List<(IntervalReading, long)>();
        var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            if (fresh.Count > 0)
            {
                try
                {
                    await CopyAsync(connection, "readings", fresh, ct);
                    var estimates = fresh.Count(IsEstimate);
                    written = new WrittenReadings(fresh.Count - estimates, estimates, 0);
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
                // In this transaction, not once per connection: behind pgbouncer in transaction mode each transaction
                // may run on another server connection, one that has never made the table.
                await using (var create = new NpgsqlCommand(
                    "CREATE TEMP TABLE IF NOT EXISTS readings_incoming (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection, tx))
                {
                    await create.ExecuteNonQueryAsync(ct);
                }
                await CopyAsync(connection, "readings_incoming", careful, ct);
                // Estimates first, displacing nothing.
                await using (var estimates = new NpgsqlCommand(
                    $"INSERT INTO readings {Columns} SELECT {Columns[1..^1]} FROM readings_incoming WHERE quality = '{Estimated}' ORDER BY meter_id, at ON CONFLICT (meter_id, at) DO NOTHING", connection, tx))
                {
                    written = written with { Estimates = written.Estimates + await estimates.ExecuteNonQueryAsync(ct) };
                }
                // Then the real rows, each once (one statement may not touch a row twice), claiming any estimate in
                // their place: the no-op update locks it until commit and RETURNING gives its (unchanged) energy. A
                // row returned as an estimate is a claim; any other row returned is new.
                await using var real = new NpgsqlCommand($"""
                    WITH moved AS (
                        INSERT INTO readings {Columns}
                        SELECT DISTINCT ON (meter_id, at) {Columns[1..^1]} FROM readings_incoming WHERE quality <> '{Estimated}' ORDER BY meter_id, at
                        ON CONFLICT (meter_id, at) DO UPDATE SET quality = readings.quality WHERE readings.quality = '{Estimated}'
                        RETURNING meter_id, at, delta_wh, quality)
                    SELECT NULL::uuid, NULL::bigint, count(*) FROM moved WHERE quality <> '{Estimated}'
                    UNION ALL
                    SELECT meter_id, at, delta_wh FROM moved WHERE quality = '{Estimated}'
                    """, connection, tx);
                var byKey = careful.Where(r => !IsEstimate(r)).GroupBy(r => (r.MeterId, r.At.ToUnixTimeTicks())).ToDictionary(g => g.Key, g => g.First());
                await using var reader = await real.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    if (reader.IsDBNull(0))
                    {
                        written = written with { Real = written.Real + (int)reader.GetInt64(2) };
                    }
                    else
                    {
                        claimed.Add((byKey[(reader.GetGuid(0), reader.GetInt64(1))], reader.GetInt64(2)));
                    }
                }
            }
            if (alongside is not null)
            {
                await alongside(connection, tx, claimed);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            await tx.DisposeAsync();
        }
        latest?.Record(rows);
        return written;
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
            await importer.WriteAsync(r.Quality, NpgsqlDbType.Varchar, ct);
            if (r.QualityRule is { } rule)
            {
                await importer.WriteAsync(rule, NpgsqlDbType.Varchar, ct);
            }
            else
            {
                await importer.WriteNullAsync(ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static async Task<WrittenReadings> WriteSqliteAsync(PrepayDb db, IReadOnlyList<IntervalReading> rows, Alongside? alongside, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        // A real row claims an estimate in its place (a no-op update: RETURNING gives the estimate's energy); an
        // estimate displaces nothing. A row returned as an estimate for a real row is a claim, any other is new.
        insert.CommandText = $"""
            INSERT INTO readings {Columns} VALUES ($m, $a, $e, $d, $c, $v, $i, $p, $q, $r)
            ON CONFLICT (meter_id, at) DO UPDATE SET quality = readings.quality
                WHERE readings.quality = '{Estimated}' AND excluded.quality <> '{Estimated}'
            RETURNING quality, delta_wh
            """;
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var a = insert.Parameters.Add("$a", SqliteType.Integer);
        var e = insert.Parameters.Add("$e", SqliteType.Integer);
        var d = insert.Parameters.Add("$d", SqliteType.Integer);
        var c = insert.Parameters.Add("$c", SqliteType.Integer);
        var v = insert.Parameters.Add("$v", SqliteType.Integer);
        var i = insert.Parameters.Add("$i", SqliteType.Integer);
        var p = insert.Parameters.Add("$p", SqliteType.Integer);
        var q = insert.Parameters.Add("$q", SqliteType.Text);
        var qr = insert.Parameters.Add("$r", SqliteType.Text);
        insert.Prepare();
        int real = 0, estimates = 0;
        var claimed = new List<(IntervalReading, long)>();
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
            q.Value = r.Quality;
            qr.Value = (object?)r.QualityRule ?? DBNull.Value;
            // SQLite runs on the calling thread whatever the method; the synchronous call spares a task per row.
            using var returned = insert.ExecuteReader();
            if (!returned.Read())
            {
                continue; // stored before: a resend, or an estimate that was not needed
            }
            if (IsEstimate(r))
            {
                estimates++;
            }
            else if (returned.GetString(0) == Estimated)
            {
                claimed.Add((r, returned.GetInt64(1)));
            }
            else
            {
                real++;
            }
        }
        if (alongside is not null)
        {
            await alongside(connection, insert.Transaction, claimed);
        }
        await tx.CommitAsync(ct);
        return new WrittenReadings(real, estimates, 0);
    }
}
