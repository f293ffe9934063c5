using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Gate;

/// <summary>Reads of the gate's decisions, for the API, the console and the customer's pages.</summary>
public static class DisconnectionDecisions
{
    /// <summary>The meter's decisions, newest first; null when there is no such meter.</summary>
    public static async Task<IReadOnlyList<DisconnectionDecisionRecord>?> ForMeterAsync(PrepayDb db, string meterNumber, int limit, CancellationToken ct)
    {
        var meterId = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (meterId is null)
        {
            return null;
        }
        return await db.DisconnectionDecisions.AsNoTracking().Where(d => d.MeterId == meterId)
            .OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// What a customer is told about their supply since <paramref name="since"/> (their tenancy), newest first: the
    /// cuts the policy refused ("your supply was not cut because …") and the ones an override sent, each once (a
    /// hold asked about again is one decision).
    /// </summary>
    public static async Task<IReadOnlyList<DisconnectionDecisionRecord>> ForCustomerAsync(PrepayDb db, Guid meterId, Instant since, int limit, CancellationToken ct) =>
        await db.DisconnectionDecisions.AsNoTracking()
            .Where(d => d.MeterId == meterId && d.At >= since && (d.Verdict == DecisionVerdict.Deny || d.Verdict == DecisionVerdict.Override))
            .OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Take(limit).ToListAsync(ct);
}
