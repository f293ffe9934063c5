using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Vending.Tokens;

/// <summary>
/// Records an operator's key change for a meter. The tokens themselves are made with the meter's next vend or
/// management token, inside that transaction (see <see cref="TokenReservations"/>), so the key change set and the
/// first token made with the new key always reach the customer together.
/// </summary>
public sealed class KeyChangeService(IClock clock, ITokenGenerator tokens)
{
    public async Task<TokenOutcome> RequestAsync(PrepayDb db, string meterNumber, KeyChangeInput input, Actor actor, CancellationToken ct)
    {
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return new TokenOutcome.NotFound($"No meter '{meterNumber}'.");
        }
        if (!meter.IssuesStsTokens)
        {
            return new TokenOutcome.Unprocessable("not-a-token-meter", $"Meter '{meterNumber}' is a {meter.Mode.ToString().ToLowerInvariant()} meter; it has no STS key.");
        }
        if (tokens.CannotIssueFor(meter) is { } noToken)
        {
            return new TokenOutcome.Unprocessable("no-token", noToken);
        }

        var now = clock.GetCurrentInstant();
        var errors = new Dictionary<string, string[]>();
        var krn = input.ToKeyRevisionNumber ?? meter.KeyRevisionNumber;
        if (krn is < 1 or > 9)
        {
            errors["toKeyRevisionNumber"] = ["must be 1 to 9"];
        }
        var baseDate = meter.BaseDate;
        if (input.ToBaseDate is { } bd)
        {
            // IEC 62055-41 §6.3.4: the roll-over bit moves a meter one base date on; never back.
            if (bd != (int)meter.BaseDate && (KeyChangePolicy.Next(meter.BaseDate) is not { } next || bd != (int)next))
            {
                errors["toBaseDate"] = [$"must be {(int)meter.BaseDate} or the next base date{(KeyChangePolicy.Next(meter.BaseDate) is { } n ? $", {(int)n}" : "")}"];
            }
            else
            {
                baseDate = (StsBaseDate)bd;
                if (!KeyChangePolicy.TidFits(baseDate, now))
                {
                    errors["toBaseDate"] = [$"token identifiers counted from {bd} do not fit 24 bits now"];
                }
            }
        }
        if (Reasons.Check(input.Reason) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }
        if (errors.Count > 0)
        {
            return new TokenOutcome.Invalid(errors);
        }
        if (krn == meter.KeyRevisionNumber && baseDate == meter.BaseDate)
        {
            return new TokenOutcome.Unprocessable("no-key-change", $"Meter '{meterNumber}' already has KRN {krn} and base date {(int)baseDate}.");
        }

        await using var tx = await db.BeginWriteAsync(ct);
        // An operator's order for this one meter replaces any campaign's still pending for it.
        await db.Meters.Where(m => m.Id == meter.Id).ExecuteUpdateAsync(s => KeyChangeOrders.Order(s, krn, baseDate), ct);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName, ActorId = actor.AuditId,
            Action = "meter.key-change-ordered",
            Target = $"meter/{meterNumber}",
            Details = $"KRN {meter.KeyRevisionNumber} base {(int)meter.BaseDate} to KRN {krn} base {(int)baseDate}: {input.Reason!.Trim()}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new TokenOutcome.KeyChangeRecorded(new KeyChangePending(meterNumber, meter.KeyRevisionNumber, (int)meter.BaseDate, krn, (int)baseDate,
            "pending: the key change tokens come with the meter's next vend or management token"));
    }
}
