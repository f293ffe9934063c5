namespace Prepay.Sts.Keys;

/// <summary>
/// The meter's PAN: IIN (6 digits, e.g. 600727, or "0000") + IAIN (the decoder reference number, 11 or 13
/// digits, its last digit a Luhn check digit) + a Luhn check digit over both. IEC 62055-41 §6.1.2 and
/// ISO/IEC 7812. The PAN block used by DKGA-02 is the rightmost 16 digits of IIN ‖ IAIN.
/// </summary>
public readonly record struct PrimaryAccountNumber
{
    /// <summary>The STS Association's IIN for meters.</summary>
    public const string StsIin = "600727";

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

    /// <summary>IIN ‖ IAIN ‖ check digit.</summary>
    public string Value => Iin + Iain + CheckDigit.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the IAIN's own last digit is its Luhn check digit.</summary>
    public bool IainCheckDigitIsValid => Luhn.IsValid(Iain);

    /// <summary>
    /// Checks digits and lengths: IIN of 4 or 6 digits, IAIN of 11 or 13. The IAIN check digit is not enforced
    /// (the STS conformance meters use IAINs such as 00000000008); see <see cref="IainCheckDigitIsValid"/>.
    /// Returns null on success, else why it failed.
    /// </summary>
    public static string? TryCreate(string? iin, string? iain, out PrimaryAccountNumber pan)
    {
        pan = default;
        if (iin is null || iin.Length is not (4 or 6) || !iin.All(char.IsAsciiDigit))
        {
            return "The IIN has 4 or 6 digits.";
        }

        if (iain is null || iain.Length is not (11 or 13) || !iain.All(char.IsAsciiDigit))
        {
            return "The IAIN has 11 or 13 digits.";
        }

        if (iin.Length + iain.Length < 16)
        {
            return "IIN and IAIN together need at least 16 digits.";
        }

        pan = new PrimaryAccountNumber(iin, iain);
        return null;
    }

    /// <summary>Creates a PAN; throws on bad input.</summary>
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
}
