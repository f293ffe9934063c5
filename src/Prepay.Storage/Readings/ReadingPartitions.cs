using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Prepay.Storage.Readings;

/// <summary>
/// The readings table's months (migration <c>ReadingPartitions</c>). On PostgreSQL <c>readings</c> is partitioned by
/// range of <c>at</c> (Unix ticks, UTC): <c>readings_history</c> holds what was stored before partitioning, one
/// partition a month after it (<c>readings_y2027m01</c>), and <c>readings_default</c> any reading outside them (a clock
/// far off). <see cref="EnsureMonthsAsync"/> makes this month's and the next <see cref="MonthsAhead"/> months'
/// partitions, moving in what the default one holds of them; <see cref="DropBeforeAsync"/> drops whole partitions
/// before a cutoff (a month past the retention goes at the cost of a DROP, not a DELETE of its rows). On SQLite, one
/// table: old readings are deleted in batches.
/// </summary>
public static partial class ReadingPartitions
{
    /// <summary>Months made ahead of the current one, so the month turning never finds its partition missing.</summary>
    public const int MonthsAhead = 3;

    private const int DeleteBatch = 10_000;

    /// <summary>A partition of <c>readings</c> and its range in ticks (null for MINVALUE/MAXVALUE; neither for the default).</summary>
    public sealed record Partition(string Name, long? From, long? To, bool IsDefault);

    [GeneratedRegex(@"FROM \((?:MINVALUE|'?(-?\d+)'?)\) TO \((?:MAXVALUE|'?(-?\d+)'?)\)")]
    private static partial Regex Bounds();

    /// <summary>The partitions of <c>readings</c> (PostgreSQL; empty on SQLite).</summary>
    public static async Task<IReadOnlyList<Partition>> ListAsync(PrepayDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Provider != DatabaseProvider.Postgres)
        {
            return [];
        }
        var rows = await db.Database.SqlQueryRaw<PartitionRow>("""
            SELECT c.relname AS "Name", pg_get_expr(c.relpartbound, c.oid) AS "Bound"
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'readings'::regclass
            """).ToListAsync(ct);
        return [.. rows.Select(r => r.Bound == "DEFAULT" ? new Partition(r.Name, null, null, true)
            : Bounds().Match(r.Bound) is { Success: true } m
                ? new Partition(r.Name, Ticks(m.Groups[1]), Ticks(m.Groups[2]), false)
                : throw new InvalidOperationException($"Partition {r.Name} of readings has a bound this does not read: {r.Bound}"))
            .OrderBy(p => p.From ?? long.MinValue)];
    }

    private static long? Ticks(Group g) => g.Success ? long.Parse(g.Value, CultureInfo.InvariantCulture) : null;

    private sealed record PartitionRow(string Name, string Bound);

    /// <summary>The first instant of the UTC month <paramref name="months"/> after the one holding <paramref name="at"/>.</summary>
    public static Instant MonthStart(Instant at, int months = 0)
    {
        var date = at.InUtc().Date;
        return new LocalDate(date.Year, date.Month, 1).PlusMonths(months).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
    }

    /// <summary>
    /// Makes the partitions of the month holding <paramref name="now"/> and the <see cref="MonthsAhead"/> after it
    /// that no partition covers yet, each in one transaction with the readings the default partition holds of it.
    /// Returns the names made. Nothing on SQLite.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnsureMonthsAsync(PrepayDb db, Instant now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Provider != DatabaseProvider.Postgres)
        {
            return [];
        }
        var made = new List<string>();
        for (var m = 0; m <= MonthsAhead; m++)
        {
            var from = MonthStart(now, m);
            var to = MonthStart(now, m + 1);
            var (a, b) = (from.ToUnixTimeTicks(), to.ToUnixTimeTicks());
            var existing = await ListAsync(db, ct);
            if (existing.Any(p => !p.IsDefault && (p.From ?? long.MinValue) < b && (p.To ?? long.MaxValue) > a))
            {
                continue; // covered (by its own partition or the history), or overlapping one made by hand: left as it is
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"readings_y{from.InUtc().Year:D4}m{from.InUtc().Month:D2}");
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Made apart, filled from the default partition, then attached: ATTACH checks that the default holds
            // nothing of the range any more, and the month's rows are never in two places or none.
#pragma warning disable EF1002 // the name is made here from two integers, the bounds are integers: nothing from outside
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE TABLE {name} (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                ALTER TABLE {name} ADD CONSTRAINT ck_{name}_range CHECK (at >= {a} AND at < {b});
                INSERT INTO {name} SELECT * FROM readings_default WHERE at >= {a} AND at < {b};
                DELETE FROM readings_default WHERE at >= {a} AND at < {b};
                ALTER TABLE readings ATTACH PARTITION {name} FOR VALUES FROM ({a}) TO ({b});
                ALTER TABLE {name} DROP CONSTRAINT ck_{name}_range;
                """, ct);
#pragma warning restore EF1002
            await tx.CommitAsync(ct);
            made.Add(name);
        }
        return made;
    }

    /// <summary>
    /// Removes every reading before <paramref name="cutoff"/> that can go whole: on PostgreSQL each partition wholly
    /// before it is dropped and the default partition's older rows deleted; on SQLite the older rows are deleted in
    /// batches. Returns the partitions dropped (PostgreSQL) and the rows deleted.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Dropped, long Deleted)> DropBeforeAsync(PrepayDb db, Instant cutoff, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ticks = cutoff.ToUnixTimeTicks();
        var dropped = new List<string>();
        long deleted = 0;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            foreach (var p in (await ListAsync(db, ct)).Where(p => !p.IsDefault && p.To is { } to && to <= ticks))
            {
#pragma warning disable EF1002 // a name read from the catalogue, quoted as an identifier
                await db.Database.ExecuteSqlRawAsync($"DROP TABLE \"{p.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
#pragma warning restore EF1002
                dropped.Add(p.Name);
            }
            deleted = await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM readings_default WHERE at < {ticks}", ct);
            return (dropped, deleted);
        }
        int batch;
        do
        {
            batch = await db.QueuedAsync(() => db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings WHERE at < {ticks} LIMIT {DeleteBatch})", ct), ct);
            deleted += batch;
        }
        while (batch == DeleteBatch);
        return (dropped, deleted);
    }
}
