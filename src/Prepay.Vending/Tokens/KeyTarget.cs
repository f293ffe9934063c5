using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Sts.Tokens;

namespace Prepay.Vending.Tokens;

/// <summary>The key revision and base date a meter is to move to with a key change token set.</summary>
public readonly record struct KeyTarget(int KeyRevisionNumber, StsBaseDate BaseDate)
{
    /// <summary>Whether the move sets the roll-over bit: the base date changes, and the meter forgets its TIDs.</summary>
    public bool IsRollover(Meter meter) => BaseDate != meter.BaseDate;
}

/// <summary>
/// Decides whether a meter's key must move before its next token. IEC 62055-41 §6.3.4/§6.5: an operator's recorded
/// target (<see cref="Meter.KeyChangeToRevision"/>, <see cref="Meter.KeyChangeToBaseDate"/>), and the roll-over
/// from base date 1993 to 2014 that every 1993 meter needs once its TIDs pass 24 bits (December 2024).
/// </summary>
public sealed class KeyChangePolicy(StsOptions options)
{
    /// <summary>The target to move to before the next token at <paramref name="now"/>, or null when the key stays.</summary>
    public KeyTarget? Due(Meter meter, Instant now)
    {
        if (meter.Mode != MeterMode.Token)
        {
            return null;
        }
        var krn = meter.KeyChangeToRevision ?? meter.KeyRevisionNumber;
        var baseDate = meter.KeyChangeToBaseDate ?? meter.BaseDate;
        if (baseDate == meter.BaseDate && baseDate == StsBaseDate.Y1993 && (options.RollOverBaseDate1993 || !TidFits(baseDate, now)))
        {
            baseDate = StsBaseDate.Y2014;
        }
        var target = new KeyTarget(krn, baseDate);
        return target == new KeyTarget(meter.KeyRevisionNumber, meter.BaseDate) ? null : target;
    }

    /// <summary>Whether the TID of <paramref name="at"/> counted from <paramref name="baseDate"/> is 0..2^24-1.</summary>
    public static bool TidFits(StsBaseDate baseDate, Instant at)
    {
        var minutes = (at - Epoch(baseDate)).TotalMinutes;
        return minutes >= 0 && minutes <= TokenIdentifier.MaxMinutes;
    }

    /// <summary>The base date a roll-over moves to, or null after the last.</summary>
    public static StsBaseDate? Next(StsBaseDate baseDate) => ((BaseDate)(int)baseDate).Next() is { } next ? (StsBaseDate)(int)next : null;

    public static Instant Epoch(StsBaseDate baseDate) => Instant.FromDateTimeOffset(((BaseDate)(int)baseDate).Epoch());
}
