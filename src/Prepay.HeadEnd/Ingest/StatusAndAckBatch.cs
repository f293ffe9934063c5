using System.Text;
using Microsoft.EntityFrameworkCore;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// One batch of statuses and acknowledgements (<see cref="StatusAndAckWriter"/>), written in one transaction (on
/// SQLite in the writers' queue, <see cref="WriteTransactions.BeginWriteAsync"/>).
/// <para>
/// Statuses: one multi-row <c>INSERT … ON CONFLICT (meter_id) DO UPDATE</c>, with the semantics one status at a time
/// had: a null keeps the stored value (COALESCE), the displayed balance's three columns are replaced together or kept
/// together. PostgreSQL refuses a statement that touches one row twice, so several statuses of a meter in the batch
/// are first merged into one in the order they came (<see cref="StatusRow.Then"/>), which leaves the row as writing
/// them one by one would.
/// </para>
/// <para>
/// Acknowledgements: as <see cref="CommandQueue.AcknowledgeAsync"/>, only a command of that meter still queued or
/// sent changes (state, acknowledged_at, outcome). On PostgreSQL one <c>UPDATE … FROM (VALUES …)</c>, after keeping the
/// first of several acknowledgements of one command (the first closes it; the later ones find it closed); on SQLite
/// the one statement per acknowledgement, inside the batch's transaction.
/// </para>
/// </summary>
internal static class StatusAndAckBatch
{
    /// <summary>Writes the batch and returns whether any acknowledgement closed a command.</summary>
    public static async Task<bool> WriteAsync(PrepayDb db, IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        var statuses = new Dictionary<Guid, StatusRow>();
        var acks = new List<AckRow>();
        var seen = new HashSet<(Guid, string)>();
        foreach (var item in batch)
        {
            if (item.Status is { } status)
            {
                statuses[status.MeterId] = statuses.TryGetValue(status.MeterId, out var earlier) ? earlier.Then(status) : status;
            }
            else if (item.Ack is { } ack && seen.Add((ack.Ack.CommandId, ack.MeterNumber)))
            {
                acks.Add(ack);
            }
        }
        await using var tx = await db.BeginWriteAsync(ct);
        if (statuses.Count > 0)
        {
            // In key order, so that two nodes' batches lock the rows they share in the same order.
            await UpsertAsync(db, [.. statuses.Values.OrderBy(s => s.MeterId)], ct);
        }
        var closed = acks.Count > 0 && await AcknowledgeAsync(db, acks, ct) > 0;
        await tx.CommitAsync(ct);
        if (acks.Count > 0 && CommandTracing.Listening)
        {
            await TraceAsync(db, acks, ct);
        }
        return closed;
    }

    /// <summary>Each committed acknowledgement as a span in its command's trace (read only while somebody traces).</summary>
    private static async Task TraceAsync(PrepayDb db, List<AckRow> acks, CancellationToken ct)
    {
        try
        {
            var ids = acks.Select(a => a.Ack.CommandId).ToList();
            var commands = await db.MeterCommands.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.TraceParent, c.State, c.Outcome }).ToDictionaryAsync(c => c.Id, ct);
            foreach (var a in acks)
            {
                if (commands.TryGetValue(a.Ack.CommandId, out var c))
                {
                    CommandTracing.Acknowledged(c.TraceParent, c.Id, a.MeterNumber, c.State.ToString(), c.Outcome, a.ReceivedAt.ToDateTimeOffset());
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Telemetry only: the acknowledgements are committed, and a trace missing a span must not undo that.
        }
    }

    private static Task<int> UpsertAsync(PrepayDb db, IReadOnlyList<StatusRow> rows, CancellationToken ct)
    {
        var sql = new StringBuilder("INSERT INTO meter_status (meter_id, online, last_seen_at, relay, credit_wh, energy_wh, key_revision, displayed_balance_minor, displayed_balance_currency, displayed_balance_at) VALUES ");
        var args = new List<object?>(rows.Count * 10);
        foreach (var r in rows)
        {
            sql.Append(args.Count == 0 ? "(" : ", (");
            object?[] values = [r.MeterId, r.Online, r.LastSeenAt, r.Relay, r.CreditWh, r.EnergyWh, r.KeyRevision, r.ShownMinor, r.ShownCurrency, r.ShownAt];
            for (var i = 0; i < values.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append('{').Append(args.Count).Append('}');
                args.Add(values[i]);
            }
            sql.Append(')');
        }
        sql.Append("""
             ON CONFLICT (meter_id) DO UPDATE SET online = excluded.online, last_seen_at = excluded.last_seen_at,
                relay = COALESCE(excluded.relay, meter_status.relay), credit_wh = COALESCE(excluded.credit_wh, meter_status.credit_wh),
                energy_wh = COALESCE(excluded.energy_wh, meter_status.energy_wh), key_revision = COALESCE(excluded.key_revision, meter_status.key_revision),
                displayed_balance_minor = CASE WHEN excluded.displayed_balance_at IS NULL THEN meter_status.displayed_balance_minor ELSE excluded.displayed_balance_minor END,
                displayed_balance_currency = CASE WHEN excluded.displayed_balance_at IS NULL THEN meter_status.displayed_balance_currency ELSE excluded.displayed_balance_currency END,
                displayed_balance_at = COALESCE(excluded.displayed_balance_at, meter_status.displayed_balance_at)
            """);
        // Raw SQL with its values as parameters (never in the text); EF maps each value as the model does (a Guid as
        // SQLite's upper-case text), a null untyped, which both databases take as the column's type in an INSERT.
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), args!, ct);
    }

    private static async Task<int> AcknowledgeAsync(PrepayDb db, List<AckRow> acks, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Postgres)
        {
            var changed = 0;
            foreach (var a in acks)
            {
                changed += await CommandQueue.AcknowledgeAsync(db, a.MeterNumber, a.Ack, a.ReceivedAt, ct);
            }
            return changed;
        }
        var sql = new StringBuilder("UPDATE meter_commands c SET state = v.state, acknowledged_at = v.at, outcome = v.outcome FROM (VALUES ");
        var args = new List<object>(acks.Count * 5);
        foreach (var a in acks)
        {
            var (state, outcome) = CommandQueue.Closing(a.Ack);
            var n = args.Count;
            sql.Append(n == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"({{{n}}}::uuid, {{{n + 1}}}::text, {{{n + 2}}}::text, {{{n + 3}}}::bigint, {{{n + 4}}}::text)");
            args.AddRange([a.Ack.CommandId, a.MeterNumber, state.ToString(), a.ReceivedAt.ToUnixTimeTicks(), outcome]);
        }
        sql.Append(") AS v(id, meter_number, state, at, outcome) WHERE c.id = v.id AND c.meter_number = v.meter_number AND c.state IN ('Queued', 'Sent')");
        return await db.Database.ExecuteSqlRawAsync(sql.ToString(), args, ct);
    }
}
