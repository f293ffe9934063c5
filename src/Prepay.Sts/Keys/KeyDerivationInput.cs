using System.Globalization;

namespace Prepay.Sts.Keys;

/// <summary>
/// What a decoder key is derived from, besides the vending key. IEC 62055-41 §6.1: SGC (6 digits), TI
/// (2 digits), KRN (1..9), KT (0..3), the meter's PAN; DKGA-04 adds the base date and the algorithm.
/// </summary>
public readonly record struct KeyDerivationInput
{
    private KeyDerivationInput(int sgc, int ti, int krn, int kt, PrimaryAccountNumber pan)
    {
        SupplyGroupCode = sgc;
        TariffIndex = ti;
        KeyRevisionNumber = krn;
        KeyType = kt;
        Pan = pan;
    }

    /// <summary>SGC, 0..999999.</summary>
    public int SupplyGroupCode { get; }

    /// <summary>TI, 0..99.</summary>
    public int TariffIndex { get; }

    /// <summary>KRN, 1..9.</summary>
    public int KeyRevisionNumber { get; }

    /// <summary>KT, 0..3.</summary>
    public int KeyType { get; }

    /// <summary>The meter's PAN.</summary>
    public PrimaryAccountNumber Pan { get; }

    /// <summary>Checks ranges; returns null on success, else why it failed.</summary>
    public static string? TryCreate(int sgc, int ti, int krn, int kt, PrimaryAccountNumber pan, out KeyDerivationInput input)
    {
        input = default;
        if (sgc is < 0 or > 999_999)
        {
            return "The SGC has 6 digits.";
        }

        if (ti is < 0 or > 99)
        {
            return "The TI has 2 digits.";
        }

        if (krn is < 1 or > 9)
        {
            return "The KRN is 1..9.";
        }

        if (kt is < 0 or > 3)
        {
            return "The KT is 0..3.";
        }

        if (pan.Iin is null)
        {
            return "A PAN is needed.";
        }

        input = new KeyDerivationInput(sgc, ti, krn, kt, pan);
        return null;
    }

    /// <summary>Creates the input; throws on bad ranges.</summary>
    public static KeyDerivationInput Create(int sgc, int ti, int krn, int kt, PrimaryAccountNumber pan) =>
        TryCreate(sgc, ti, krn, kt, pan, out var input) is { } error ? throw new ArgumentException(error) : input;

    /// <summary>SGC as 6 digits.</summary>
    public string SgcDigits => SupplyGroupCode.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>TI as 2 digits.</summary>
    public string TiDigits => TariffIndex.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>
    /// The DKGA-02 control block: the 16 nibbles KT, SGC (6), TI (2), KRN, FFFFFF. IEC 62055-41 §6.1.3.
    /// </summary>
    public ulong ControlBlock()
    {
        ulong block = (uint)KeyType;
        foreach (char c in SgcDigits + TiDigits)
        {
            block = (block << 4) | (uint)(c - '0');
        }

        block = (block << 4) | (uint)KeyRevisionNumber;
        return (block << 24) | 0xFF_FFFF;
    }
}
