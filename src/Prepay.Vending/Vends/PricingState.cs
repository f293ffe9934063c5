using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Tariffs.Quotes;

namespace Prepay.Vending.Vends;

/// <summary>
/// What a purchase is priced against, read in one statement under the meter's row lock: the energy bought and
/// the debt recovered this month on the meter (vends not reversed), and the customer's credit and debt balances
/// (0 for an account never used). A vend reads it under the meter's row lock; a quote shown to a customer reads the
/// same, so that the preview prices exactly as the vend will.
/// </summary>
public sealed record PricingState(long MonthEnergyWh, long MonthDebtRecoveredMinor, long CreditBalance, long DebtBalance)
{
    public static async Task<PricingState> ReadAsync(PrepayDb db, Guid meterId, Instant monthStart, AccountCode credit, AccountCode debt, CancellationToken ct)
    {
        // Instants are stored as 100-ns ticks since the Unix epoch (see the storage converters).
        var from = monthStart.ToUnixTimeTicks();
        const string kind = nameof(Storage.Records.VendKind.Credit);
        var rows = await db.Database.SqlQuery<PricingState>($"""
            SELECT CAST(COALESCE(SUM(v.energy_wh), 0) AS BIGINT) AS "MonthEnergyWh",
                   CAST(COALESCE(SUM(v.debt_recovered_minor), 0) AS BIGINT) AS "MonthDebtRecoveredMinor",
                   COALESCE((SELECT a.balance FROM accounts a WHERE a.code = {credit.Value}), 0) AS "CreditBalance",
                   COALESCE((SELECT a.balance FROM accounts a WHERE a.code = {debt.Value}), 0) AS "DebtBalance"
            FROM vends v
            WHERE v.meter_id = {meterId} AND v.at >= {from} AND v.kind = {kind}
              AND NOT EXISTS (SELECT 1 FROM vend_reversals r WHERE r.vend_id = v.id)
            """).ToListAsync(ct);
        return rows.Single();
    }

    /// <summary>
    /// Claims a vend's idempotency key and reads what it is priced against, in one statement, under the meter's row
    /// lock the vend took just before: the claim as <see cref="IdempotencyClaimStore.TryClaimAsync"/> makes it (the
    /// (scope, key) primary key lets one request through; a racing twin waits for it to commit), and the state as
    /// <see cref="ReadAsync"/> reads it. The subqueries run after the meter's lock was granted (this is the statement
    /// after the one that took it), so they see every vend to this meter committed before. Null: the key was claimed
    /// before, nothing was inserted, and the vend replays instead.
    /// </summary>
    public static async Task<PricingState?> ClaimAndReadAsync(PrepayDb db, Guid vendorId, string key, string requestHash, Guid vendId,
        Guid meterId, Instant monthStart, AccountCode credit, AccountCode debt, CancellationToken ct)
    {
        var from = monthStart.ToUnixTimeTicks();
        const string kind = nameof(Storage.Records.VendKind.Credit);
        var rows = await db.Database.SqlQuery<PricingState>($"""
            INSERT INTO idempotency_claims (scope_id, key, request_hash, result_id) VALUES ({vendorId}, {key}, {requestHash}, {vendId})
            ON CONFLICT DO NOTHING
            RETURNING
                (SELECT CAST(COALESCE(SUM(v.energy_wh), 0) AS BIGINT) FROM vends v
                 WHERE v.meter_id = {meterId} AND v.at >= {from} AND v.kind = {kind}
                   AND NOT EXISTS (SELECT 1 FROM vend_reversals r WHERE r.vend_id = v.id)) AS "MonthEnergyWh",
                (SELECT CAST(COALESCE(SUM(v.debt_recovered_minor), 0) AS BIGINT) FROM vends v
                 WHERE v.meter_id = {meterId} AND v.at >= {from} AND v.kind = {kind}
                   AND NOT EXISTS (SELECT 1 FROM vend_reversals r WHERE r.vend_id = v.id)) AS "MonthDebtRecoveredMinor",
                COALESCE((SELECT a.balance FROM accounts a WHERE a.code = {credit.Value}), 0) AS "CreditBalance",
                COALESCE((SELECT a.balance FROM accounts a WHERE a.code = {debt.Value}), 0) AS "DebtBalance"
            """).ToListAsync(ct);
        return rows is [var state] ? state : null;
    }

    /// <summary>The purchase context a quote for <paramref name="meter"/> is priced against, in the tariff's currency.</summary>
    public PurchaseContext ContextFor(Meter meter, Currency currency) => new(
        new Energy(MonthEnergyWh),
        new Money(Math.Max(0, -DebtBalance), currency),
        new Money(MonthDebtRecoveredMinor, currency),
        meter.FixedChargesPaidThrough,
        new Money(meter.FixedChargeArrearsMinor, currency),
        new Money(CreditBalance, currency),
        meter.ResolutionWh);
}
