using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;

namespace Prepay.Cli.Bench;

/// <summary>
/// The raw reference of <c>prepay bench ingest</c>: the same distinct readings written straight into
/// <c>readings_raw</c>, a table with the schema, keys and indexes of <c>readings</c>, by one binary COPY in one
/// transaction (PostgreSQL) or one prepared INSERT reused in one transaction, called synchronously (SQLite); then both tables compared.
/// </summary>
internal static class IngestReference
{
    /// <summary>The raw reference and the row counts of both tables.</summary>
    public static async Task<(TimeSpan Raw, long Stored, long RawStored)> RunAsync(IServiceProvider services, IReadOnlyList<(string Meter, ReadingPayload Reading)> readings, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var ids = await db.Meters.AsNoTracking().ToDictionaryAsync(m => m.MeterNumber, m => m.Id, ct);
        var rows = readings.Select(x => (Id: ids[x.Meter], R: x.Reading)).ToList();
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        TimeSpan raw;
        if (connection is NpgsqlConnection pg)
        {
            await Execute(pg, "CREATE TABLE readings_raw (LIKE readings INCLUDING ALL); ALTER TABLE readings_raw ADD FOREIGN KEY (meter_id) REFERENCES meters (id)");
            var clock = Stopwatch.StartNew();
            await using (var tx = await pg.BeginTransactionAsync(ct))
            {
                await using (var copy = await pg.BeginBinaryImportAsync(
                    "COPY readings_raw (meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w) FROM STDIN (FORMAT BINARY)", ct))
                {
                    foreach (var (id, r) in rows)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(NodaTime.Instant.FromDateTimeOffset(r.At).ToUnixTimeTicks(), NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(r.EnergyWh, NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(r.DeltaWh, NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(r.CreditWh, NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(r.VoltageDv, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(r.CurrentMa, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(r.PowerW, NpgsqlDbType.Integer, ct);
                    }
                    await copy.CompleteAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
            raw = clock.Elapsed;
        }
        else
        {
            var sqlite = (SqliteConnection)connection;
            // The same table and indexes, from SQLite's own record of how readings was made.
            var ddl = new List<string>();
            await using (var read = sqlite.CreateCommand())
            {
                read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'readings' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC";
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ddl.Add(reader.GetString(0).Replace("\"readings\"", "\"readings_raw\"", StringComparison.Ordinal)
                        .Replace("\"IX_readings", "\"IX_readings_raw", StringComparison.OrdinalIgnoreCase).Replace("\"ix_readings", "\"ix_readings_raw", StringComparison.Ordinal));
                }
            }
            foreach (var statement in ddl)
            {
                await using var create = sqlite.CreateCommand();
                create.CommandText = statement;
                await create.ExecuteNonQueryAsync(ct);
            }
            var texts = rows.Select(x => (Text: x.Id.ToString().ToUpperInvariant(), x.R)).ToList();
            var clock = Stopwatch.StartNew();
            await using (var tx = sqlite.BeginTransaction(deferred: false))
            {
                await using var insert = sqlite.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO readings_raw (meter_id, at, energy_wh, delta_wh, credit_wh, voltage_dv, current_ma, power_w) VALUES ($m, $a, $e, $d, $c, $v, $i, $p)";
                var ps = new[] { "$m", "$a", "$e", "$d", "$c", "$v", "$i", "$p" }.Select(n => insert.Parameters.Add(n, n == "$m" ? SqliteType.Text : SqliteType.Integer)).ToArray();
                insert.Prepare();
                // The meters' ids as SQLite keeps them, made before the clock runs: the reference is the insert alone.
                foreach (var (text, r) in texts)
                {
                    ps[0].Value = text;
                    ps[1].Value = NodaTime.Instant.FromDateTimeOffset(r.At).ToUnixTimeTicks();
                    ps[2].Value = r.EnergyWh;
                    ps[3].Value = r.DeltaWh;
                    ps[4].Value = r.CreditWh;
                    ps[5].Value = r.VoltageDv;
                    ps[6].Value = r.CurrentMa;
                    ps[7].Value = r.PowerW;
                    insert.ExecuteNonQuery();
                }
                await tx.CommitAsync(ct);
            }
            raw = clock.Elapsed;
        }
        // Both tables hold exactly the distinct readings: compare counts, and the rows themselves by a checksum.
        var stored = await Scalar(connection, "SELECT count(*) FROM readings");
        var rawStored = await Scalar(connection, "SELECT count(*) FROM readings_raw");
        var mismatched = await Scalar(connection,
            "SELECT count(*) FROM readings r LEFT JOIN readings_raw x ON x.meter_id = r.meter_id AND x.at = r.at AND x.energy_wh = r.energy_wh AND x.power_w = r.power_w WHERE x.meter_id IS NULL");
        return (raw, stored, mismatched == 0 ? rawStored : -1);

        async Task Execute(NpgsqlConnection c, string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        async Task<long> Scalar(System.Data.Common.DbConnection c, string sql)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
    }
}
