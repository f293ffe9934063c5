using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Sts.Tokens;

namespace Prepay.Vending.Tokens;

/// <summary>
/// The key a meter is to move to with a key change token set: its key revision and base date, and the supply group
/// and tariff index its new decoder key is derived with (IEC 62055-41 §6.1: the key is derived from SGC, TI, KRN).
/// </summary>
public readonly record struct KeyTarget(int KeyRevisionNumber, StsBaseDate BaseDate, int SupplyGroupCode, int TariffIndex)
{
    /// <summary>The target keeping the meter's supply group and tariff index.</summary>
    public static KeyTarget For(Meter meter, int keyRevisionNumber, StsBaseDate baseDate) => new(keyRevisionNumber, baseDate, meter.SupplyGroupCode, meter.TariffIndex);

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
        if (!meter.IssuesStsTokens)
        {
            return null;
        }
        // A campaign's key change waits for its start (and is lifted while the campaign is paused).
        var ordered = meter.KeyChangeNotBefore is not { } from || now >= from;
        var krn = (ordered ? meter.KeyChangeToRevision : null) ?? meter.KeyRevisionNumber;
        var baseDate = (ordered ? meter.KeyChangeToBaseDate : null) ?? meter.BaseDate;
        var sgc = (ordered ? meter.KeyChangeToSupplyGroupCode : null) ?? meter.SupplyGroupCode;
        var ti = (ordered ? meter.KeyChangeToTariffIndex : null) ?? meter.TariffIndex;
        if (baseDate == meter.BaseDate && baseDate == StsBaseDate.Y1993 && (options.RollOverBaseDate1993 || !TidFits(baseDate, now)))
        {
            baseDate = StsBaseDate.Y2014;
        }
        var target = new KeyTarget(krn, baseDate, sgc, ti);
        return target == new KeyTarget(meter.KeyRevisionNumber, meter.BaseDate, meter.SupplyGroupCode, meter.TariffIndex) ? null : target;
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
