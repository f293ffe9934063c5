using System.Globalization;

namespace Prepay.Sts.Keys;

/// <summary>
/// The meter's PAN (MeterPAN), always 18 digits: IIN ‖ IAIN ‖ a Luhn check digit over both. IEC 62055-41 §6.1.2
/// and ISO/IEC 7812. The IAIN is the decoder reference number (DRN): an 11-digit DRN (2-digit MfrCode) goes with
/// the STS IIN 600727, a 13-digit DRN (4-digit MfrCode) with the IIN "0000", so IIN ‖ IAIN always has 17 digits.
/// The PAN block used by DKGA-02 is the rightmost 16 digits of IIN ‖ IAIN, which is why the STS 531-1-0-02 meter
/// 000001000000000082 derives the same key whether it is split 000001 + 00000000008 or 0000 + 0100000000008.
/// </summary>
public readonly record struct PrimaryAccountNumber
{
    /// <summary>The STS Association's IIN for meters with an 11-digit decoder reference number.</summary>
    public const string StsIin = "600727";

    /// <summary>The IIN of meters with a 13-digit decoder reference number (4-digit manufacturer code).</summary>
    public const string FourDigitManufacturerIin = "0000";

    /// <summary>Digits in a meter PAN, check digit included.</summary>
    public const int Digits = 18;

    private PrimaryAccountNumber(string iin, string iain)
    {
        Iin = iin;
        Iain = iain;
    }

    /// <summary>Issuer identification number.</summary>
    public string Iin { get; }

    /// <summary>Individual account identification number (decoder reference number).</summary>
    public string Iain { get; }

    /// <summary>The Luhn check digit over IIN ‖ IAIN.</summary>
    public int CheckDigit => Luhn.CheckDigit(Iin + Iain);

    /// <summary>IIN ‖ IAIN ‖ check digit: 18 digits.</summary>
    public string Value => Iin + Iain + CheckDigit.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the IAIN's own last digit is its check digit (<see cref="DecoderReferenceCheckDigitIsValid"/>).</summary>
    public bool IainCheckDigitIsValid => DecoderReferenceCheckDigitIsValid(Iain);

    /// <summary>
    /// The PAN of a meter from its decoder reference number (IAIN). Without <paramref name="iinOverride"/> the IIN
    /// follows from the DRN's length (11 → 600727, 13 → 0000); with it, the IIN must have 4 or 6 digits and make an
    /// 18-digit PAN with the DRN. The DRN check digit is not enforced (the conformance meters do not all have a valid
    /// one); see <see cref="DecoderReferenceCheckDigitIsValid"/>. Returns null on success, else a one-line reason.
    /// </summary>
    public static string? TryForDecoderReference(string? iain, string? iinOverride, out PrimaryAccountNumber pan)
    {
        pan = default;
        if (CheckIain(iain) is { } iainError)
        {
            return iainError;
        }

        string iin = iinOverride ?? IinFor(iain!);
        if (CheckIin(iin) is { } iinError)
        {
            return iinError;
        }

        if (CheckLengths(iin, iain!) is { } lengthError)
        {
            return lengthError;
        }

        pan = new PrimaryAccountNumber(iin, iain!);
        return null;
    }

    /// <summary>The PAN of a meter from its decoder reference number; throws <see cref="FormatException"/> with the reason.</summary>
    public static PrimaryAccountNumber ForDecoderReference(string iain, string? iinOverride = null) =>
        TryForDecoderReference(iain, iinOverride, out var pan) is { } error ? throw new FormatException(error) : pan;

    /// <summary>
    /// Whether the DRN's last digit is its check digit. IEC 62055-41 §6.1.2 (MeterPAN, DRN): MfrCode (2 or 4 digits) ‖
    /// DSN (8 digits) ‖ a check digit computed with the Luhn formula of ISO/IEC 7812-1 over MfrCode ‖ DSN, the same rule
    /// for 11- and 13-digit numbers. False for anything that is not 11 or 13 digits.
    /// </summary>
    public static bool DecoderReferenceCheckDigitIsValid(string? iain) =>
        iain is { Length: 11 or 13 } && iain.All(char.IsAsciiDigit) && Luhn.IsValid(iain);

    /// <summary>
    /// A PAN from an explicit IIN and IAIN: IIN of 4 or 6 digits, IAIN of 11 or 13, 17 digits together (an 18-digit
    /// PAN). Prefer <see cref="TryForDecoderReference"/>, which derives the IIN. Returns null on success, else why.
    /// </summary>
    public static string? TryCreate(string? iin, string? iain, out PrimaryAccountNumber pan)
    {
        pan = default;
        if (iin is null)
        {
            return "The IIN has 4 or 6 digits.";
        }

        return TryForDecoderReference(iain, iin, out pan);
    }

    /// <summary>Creates a PAN from an explicit IIN and IAIN; throws <see cref="FormatException"/> on bad input.</summary>
    public static PrimaryAccountNumber Create(string iin, string iain) =>
        TryCreate(iin, iain, out var pan) is { } error ? throw new FormatException(error) : pan;

    /// <summary>The PAN block: the rightmost 16 digits of IIN ‖ IAIN read as 16 hex nibbles. IEC 62055-41 §6.1.3.</summary>
    public ulong PanBlock()
    {
        string digits = Iin + Iain;
        ulong block = 0;
        foreach (char c in digits.AsSpan(digits.Length - 16))
        {
            block = (block << 4) | (uint)(c - '0');
        }

        return block;
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    // IEC 62055-41 §6.1.2 (MeterPAN): the IIN that makes an 18-digit PAN with a DRN of this length.
    private static string IinFor(string iain) => iain.Length == 13 ? FourDigitManufacturerIin : StsIin;

    private static string? CheckIain(string? iain) => iain switch
    {
        null or "" => "A decoder reference number (IAIN) of 11 or 13 digits is needed.",
        _ when !iain.All(char.IsAsciiDigit) => "A decoder reference number (IAIN) has only digits.",
        { Length: not (11 or 13) } => $"A decoder reference number (IAIN) has 11 or 13 digits, this one has {iain.Length}.",
        _ => null,
    };

    private static string? CheckIin(string iin) =>
        iin.Length is 4 or 6 && iin.All(char.IsAsciiDigit) ? null : "The IIN has 4 or 6 digits.";

    private static string? CheckLengths(string iin, string iain)
    {
        int panDigits = iin.Length + iain.Length + 1;
        if (panDigits == Digits)
        {
            return null;
        }

        string fits = iain.Length == 13 ? $"a 4-digit IIN ({FourDigitManufacturerIin})" : $"a 6-digit IIN ({StsIin})";
        return $"IIN {iin} ({iin.Length} digits) with {Article(iain.Length)} {iain.Length}-digit decoder reference number makes "
            + $"{Article(panDigits)} {panDigits}-digit PAN; a meter PAN has {Digits} digits: {Article(iain.Length)} {iain.Length}-digit number takes {fits}";
    }

    // "an 11-digit", "an 18-digit", "a 13-digit", "a 20-digit".
    private static string Article(int number) => number is 8 or 11 or 18 or (>= 80 and <= 89) ? "an" : "a";
}
