using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Vending.Tokens;

/// <summary>
/// What a token is made from, read and reserved under the meter's row lock: the meter as it is after any key change
/// due now, the token identifier reserved for the token, and the key change tokens to enter before it.
/// </summary>
public sealed record TokenReservation(Meter Meter, long TokenId, KeyTarget? KeyChange, IReadOnlyList<string>? KeyChangeTokens);

/// <summary>
/// Reserves token identifiers for vends and operators' tokens alike, inside the caller's write transaction, so no two
/// tokens of one meter share a TID, even across servers. The meter row is locked before it is read, so the key
/// revision and base date a token is made with are those no other transaction can change until this one ends.
/// </summary>
public sealed class TokenReservations(ITokenGenerator tokens, KeyChangePolicy policy)
{
    /// <param name="known">
    /// The meter as read before the transaction, if the caller has it. When it has no key change pending or due, one
    /// statement locks the row and takes the identifier, on condition that the key fields are still as read; if they
    /// are not (a key change raced in), the reservation is made the long way below.
    /// </param>
    public async Task<TokenReservation> ReserveAsync(PrepayDb db, Guid meterId, Instant now, string actor, CancellationToken ct, Meter? known = null)
    {
        if (known is { KeyChangeToRevision: null, KeyChangeToBaseDate: null } && known.Id == meterId && policy.Due(known, now) is null)
        {
            var expected = known.IssuesStsTokens ? tokens.TokenIdAt(known, now) : SmartMeterTokenId(now);
            var (mode, decoder, krn, baseDate) = (known.Mode.ToString(), known.HasStsDecoder, known.KeyRevisionNumber, known.BaseDate.ToString());
            var rows = await db.Meters.FromSql($"""
                UPDATE meters SET last_token_id = CASE WHEN last_token_id + 1 > {expected} THEN last_token_id + 1 ELSE {expected} END
                WHERE id = {meterId} AND mode = {mode} AND has_sts_decoder = {decoder} AND key_revision_number = {krn} AND base_date = {baseDate}
                  AND key_change_to_revision IS NULL AND key_change_to_base_date IS NULL
                RETURNING *
                """).AsNoTracking().ToListAsync(ct);
            if (rows is [var locked])
            {
                return new TokenReservation(locked, locked.LastTokenId, null, null);
            }
        }

        // The row lock (PostgreSQL; SQLite's write transaction already holds the database's) and the row as it is
        // under that lock, in one statement.
        var meter = (await db.Meters.FromSql($"UPDATE meters SET last_token_id = last_token_id WHERE id = {meterId} RETURNING *")
            .AsNoTracking().ToListAsync(ct)).Single();
        if (!meter.IssuesStsTokens)
        {
            return new TokenReservation(meter, await AdvanceAsync(db, meterId, SmartMeterTokenId(now), ct), null, null);
        }

        if (policy.Due(meter, now) is not { } target)
        {
            var orderInForce = meter.KeyChangeNotBefore is not { } notBefore || now >= notBefore;
            if (orderInForce && (meter.KeyChangeToRevision is not null || meter.KeyChangeToBaseDate is not null))
            {
                // An order the meter already meets (it raced another key change): nothing to issue, forget it.
                await db.Meters.Where(m => m.Id == meterId).ClearAsync(ct);
                KeyChangeOrders.Clear(meter);
            }
            return new TokenReservation(meter, await AdvanceAsync(db, meterId, tokens.TokenIdAt(meter, now), ct), null, null);
        }

        // IEC 62055-41 §6.3.4: the key change set is encrypted with the current key, every later token with the new.
        var keyChange = tokens.KeyChangeTokens(meter, target);
        var rollover = target.IsRollover(meter);
        var from = $"SGC {meter.SupplyGroupCode} TI {meter.TariffIndex} KRN {meter.KeyRevisionNumber} base {(int)meter.BaseDate}";
        var campaign = meter.KeyChangeCampaignId;
        meter.KeyRevisionNumber = target.KeyRevisionNumber;
        meter.BaseDate = target.BaseDate;
        meter.SupplyGroupCode = target.SupplyGroupCode;
        meter.TariffIndex = target.TariffIndex;
        KeyChangeOrders.Clear(meter);
        // The new key and the order's end in one statement.
        await db.Meters.Where(m => m.Id == meterId).ExecuteUpdateAsync(s =>
        {
            KeyChangeOrders.Clear(s);
            s.SetProperty(m => m.KeyRevisionNumber, target.KeyRevisionNumber)
                .SetProperty(m => m.BaseDate, target.BaseDate)
                .SetProperty(m => m.SupplyGroupCode, target.SupplyGroupCode)
                .SetProperty(m => m.TariffIndex, target.TariffIndex);
        }, ct);
        if (campaign is { } campaignId)
        {
            // The campaign's record of this meter: issued now, with these tokens, in this same transaction.
            await db.KeyChangeCampaignMeters.Where(c => c.CampaignId == campaignId && c.MeterId == meterId && c.IssuedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.IssuedAt, now).SetProperty(c => c.Tokens, string.Join(' ', keyChange)), ct);
        }
        var tidNow = tokens.TokenIdAt(meter, now);
        // A roll-over restarts the meter's TIDs from the new base date and clears its TID memory, so the count
        // restarts here too; otherwise TIDs go on as before.
        var tokenId = rollover
            ? (await db.Database.SqlQuery<long>($"UPDATE meters SET last_token_id = {tidNow} WHERE id = {meterId} RETURNING last_token_id AS \"Value\"").ToListAsync(ct)).Single()
            : await AdvanceAsync(db, meterId, tidNow, ct);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor,
            Action = "meter.key-change",
            Target = $"meter/{meter.MeterNumber}",
            Details = $"{keyChange.Count} key change tokens issued: {from} to SGC {target.SupplyGroupCode} TI {target.TariffIndex} KRN {target.KeyRevisionNumber} base {(int)target.BaseDate}{(rollover ? " (roll-over)" : "")}{(campaign is { } c ? $", campaign {c}" : "")}",
        });
        return new TokenReservation(meter, tokenId, target, keyChange);
    }

    /// <summary>
    /// Takes <paramref name="count"/> more identifiers right after the last one, for a sale carried by several
    /// tokens; returns the new last. Only inside the transaction that reserved the first, which holds the row lock.
    /// </summary>
    public async Task<long> AdvanceByAsync(PrepayDb db, Guid meterId, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (await db.Database.SqlQuery<long>(
            $"UPDATE meters SET last_token_id = last_token_id + {count} WHERE id = {meterId} RETURNING last_token_id AS \"Value\"")
            .ToListAsync(ct)).Single();
    }

    // No STS for a smart meter without a keypad decoder: the identifier only orders the meter's vends.
    private static long SmartMeterTokenId(Instant now) => (long)(now - KeyChangePolicy.Epoch(StsBaseDate.Y2014)).TotalMinutes;

    // The next identifier: now's, or one past the last if that is later (several tokens in one minute).
    private static async Task<long> AdvanceAsync(PrepayDb db, Guid meterId, long tokenIdNow, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>(
            $"UPDATE meters SET last_token_id = CASE WHEN last_token_id + 1 > {tokenIdNow} THEN last_token_id + 1 ELSE {tokenIdNow} END WHERE id = {meterId} RETURNING last_token_id AS \"Value\"")
            .ToListAsync(ct)).Single();
}
