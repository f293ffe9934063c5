using Prepay.Sts.Keys;

namespace Prepay.Sts.Tokens;

/// <summary>
/// What a key change token set carries. IEC 62055-41 §6.3.4 (Set 1st..4th Section Decoder Key):
/// the new key, its KEN (split KENHO/KENLO), KRN, KT, TI, SGC (128-bit keys only) and the roll-over flag RO,
/// set when the new key moves the meter to the next base date (1993 → 2014).
/// </summary>
public readonly record struct KeyChangeRequest(
    DecoderKey NewKey,
    byte KeyExpiryNumber,
    int KeyRevisionNumber,
    int KeyType,
    int TariffIndex,
    int SupplyGroupCode,
    bool Rollover);
