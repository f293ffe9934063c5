using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.MeterData;
using Prepay.MeterData.Validation;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Quality;

/// <summary>What an operator asks to set an interval to, and why.</summary>
public sealed record ReadingEdit(Instant IntervalStart, long? EnergyWh, long? RegisterWh, string? Reason);

/// <summary>
/// An operator sets a stored interval's energy (and, optionally, its register) with a reason: the row becomes
/// <c>edited</c>, the change is recorded as a <see cref="ReadingAdjustment"/> (previous → new, for central credit to
/// post), and the audit gets who, what and why, all in one write transaction or not at all.
/// </summary>
public static class ReadingEdits
{
    public const string AuditAction = "reading.edit";
    public const int MaxReason = 500;

    public abstract record Outcome
    {
        public sealed record Edited(long PreviousWh, long NewWh) : Outcome;

        public sealed record Invalid(string Field, string Message) : Outcome;

        public sealed record NotFound(string Detail) : Outcome;
    }

    public static async Task<Outcome> EditAsync(PrepayDb db, IClock clock, VeeOptions options, string meterNumber, ReadingEdit edit,
        string auditActor, CancellationToken ct)
    {
        if (edit.EnergyWh is not { } energy || energy < 0)
        {
            return new Outcome.Invalid("energyWh", "the interval's energy in Wh is required and must not be negative");
        }
        if (edit.RegisterWh is < 0 || edit.RegisterWh >= options.DefaultRegisterCapacityWh)
        {
            return new Outcome.Invalid("registerWh", $"must be from 0 to {options.DefaultRegisterCapacityWh - 1} Wh");
        }
        if (string.IsNullOrWhiteSpace(edit.Reason) || edit.Reason.Length > MaxReason || edit.Reason.Contains('\0', StringComparison.Ordinal))
        {
            return new Outcome.Invalid("reason", $"a reason of 1 to {MaxReason} characters is required");
        }
        var at = edit.IntervalStart + options.IntervalLength;
        await using var tx = await db.BeginWriteAsync(ct);
        var meterId = await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (meterId is not { } id)
        {
            return new Outcome.NotFound($"No meter '{meterNumber}'.");
        }
        var stored = await db.Readings.AsNoTracking().Where(r => r.MeterId == id && r.At == at).Select(r => new { r.DeltaWh, r.EnergyWh }).FirstOrDefaultAsync(ct);
        if (stored is null)
        {
            return new Outcome.NotFound($"Meter '{meterNumber}' has no reading for the interval starting {edit.IntervalStart}.");
        }
        var register = edit.RegisterWh ?? stored.EnergyWh;
        var edited = ReadingQuality.Edited.Text();
        await db.Readings.Where(r => r.MeterId == id && r.At == at).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.DeltaWh, energy).SetProperty(r => r.EnergyWh, register)
            .SetProperty(r => r.Quality, edited).SetProperty(r => r.QualityRule, (string?)null), ct);
        var now = clock.GetCurrentInstant();
        db.ReadingAdjustments.Add(new ReadingAdjustment { MeterId = id, At = at, PreviousWh = stored.DeltaWh, NewWh = energy, Cause = "edited", RecordedAt = now });
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = auditActor, Action = AuditAction, Target = $"meter/{meterNumber}/reading/{edit.IntervalStart}",
            Details = $"energy {stored.DeltaWh} → {energy} Wh, register {stored.EnergyWh} → {register} Wh: {edit.Reason.Trim()}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Outcome.Edited(stored.DeltaWh, energy);
    }
}
