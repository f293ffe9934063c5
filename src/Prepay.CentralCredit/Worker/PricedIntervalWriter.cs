using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Prepay.Storage;
using Prepay.Storage.Records.CentralCredit;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// Writes a batch's <c>central_credit_intervals</c> rows in the caller's write transaction by each provider's bulk
/// path, as the head-end writes readings: one binary COPY (PostgreSQL), one prepared INSERT reused (SQLite). A row
/// whose key is taken (priced already) fails the batch, which is rolled back whole: the key is the guard.
/// Instants are written as the schema stores them (ticks since the Unix epoch), Guids as SQLite's upper-case text.
/// </summary>
internal static class PricedIntervalWriter
{
    private const string Columns = "(meter_id, at, start, month, wh, month_position_wh, charged_minor, debt_recovered_minor, fixed_charges_minor, tariff_code, tariff_version, transaction_id, priced_at)";

    public static async Task WriteAsync(PrepayDb db, IReadOnlyList<PricedIntervalRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        var tx = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Priced intervals are written inside the batch's write transaction.");
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync($"COPY central_credit_intervals {Columns} FROM STDIN (FORMAT BINARY)", ct);
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.MeterId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.At.ToUnixTimeTicks(), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Start.ToUnixTimeTicks(), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Month, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.Wh, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.MonthPositionWh, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.ChargedMinor, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.DebtRecoveredMinor, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.FixedChargesMinor ?? throw new InvalidOperationException("A priced interval keeps its fixed charges."), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.TariffCode, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.TariffVersion, NpgsqlDbType.Integer, ct);
                if (r.TransactionId is { } id)
                {
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }
                await copy.WriteAsync(r.PricedAt.ToUnixTimeTicks(), NpgsqlDbType.Bigint, ct);
            }
            await copy.CompleteAsync(ct);
            return;
        }
        var sqlite = (SqliteConnection)connection;
        await using var insert = sqlite.CreateCommand();
        insert.Transaction = (SqliteTransaction)tx;
        insert.CommandText = $"INSERT INTO central_credit_intervals {Columns} VALUES (@m, @a, @s, @mo, @wh, @pos, @ch, @debt, @fix, @tc, @tv, @tx, @pa)";
        var p = new[] { "@m", "@a", "@s", "@mo", "@wh", "@pos", "@ch", "@debt", "@fix", "@tc", "@tv", "@tx", "@pa" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();
        foreach (var r in rows)
        {
            p[0].Value = r.MeterId.ToString().ToUpperInvariant();
            p[1].Value = r.At.ToUnixTimeTicks();
            p[2].Value = r.Start.ToUnixTimeTicks();
            p[3].Value = r.Month;
            p[4].Value = r.Wh;
            p[5].Value = r.MonthPositionWh;
            p[6].Value = r.ChargedMinor;
            p[7].Value = r.DebtRecoveredMinor;
            p[8].Value = r.FixedChargesMinor ?? throw new InvalidOperationException("A priced interval keeps its fixed charges.");
            p[9].Value = r.TariffCode;
            p[10].Value = r.TariffVersion;
            p[11].Value = r.TransactionId is { } id ? id.ToString().ToUpperInvariant() : DBNull.Value;
            p[12].Value = r.PricedAt.ToUnixTimeTicks();
            // Synchronous on purpose: Microsoft.Data.Sqlite has no real asynchronous I/O, and the async path only adds overhead.
            insert.ExecuteNonQuery();
        }
    }
}
