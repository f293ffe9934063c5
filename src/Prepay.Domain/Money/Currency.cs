using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Prepay.Domain.Money;

/// <summary>
/// An ISO 4217 currency: its alphabetic code and how many minor units make one major unit.
/// Only currencies in <see cref="Known"/> exist; an unknown code is a parse failure, not a new currency.
/// </summary>
public readonly record struct Currency
{
    private Currency(string code, int minorDigits)
    {
        Code = code;
        MinorDigits = minorDigits;
    }

    /// <summary>Three upper-case letters, e.g. <c>ZAR</c>.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point (ISO 4217 "minor unit"): 2 for ZAR, 0 for UGX, 3 for KWD.</summary>
    public int MinorDigits { get; }

    /// <summary>Minor units in one major unit: 10^<see cref="MinorDigits"/>.</summary>
    public long MinorPerMajor => MinorDigits switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => throw new InvalidOperationException("Unsupported minor digits") };

    // The currencies of the markets prepaid electricity is sold in, plus the usual majors.
    // Minor-unit digits are those of ISO 4217.
    private static readonly FrozenDictionary<string, Currency> Table = new (string Code, int Digits)[]
    {
        ("ZAR", 2), ("NAD", 2), ("BWP", 2), ("LSL", 2), ("SZL", 2), ("ZMW", 2), ("MWK", 2), ("MZN", 2),
        ("KES", 2), ("TZS", 2), ("UGX", 0), ("RWF", 0), ("BIF", 0), ("ETB", 2), ("NGN", 2), ("GHS", 2),
        ("XOF", 0), ("XAF", 0), ("SLE", 2), ("LRD", 2), ("GMD", 2), ("EGP", 2), ("MAD", 2), ("ZWG", 2),
        ("INR", 2), ("PKR", 2), ("BDT", 2), ("LKR", 2), ("NPR", 2), ("CNY", 2), ("PHP", 2), ("IDR", 2),
        ("MYR", 2), ("VND", 0), ("THB", 2), ("JPY", 0), ("KWD", 3), ("BHD", 3), ("OMR", 3), ("JOD", 3),
        ("USD", 2), ("EUR", 2), ("GBP", 2), ("CHF", 2), ("AUD", 2), ("CAD", 2), ("BRL", 2), ("MXN", 2),
    }.ToFrozenDictionary(c => c.Code, c => new Currency(c.Code, c.Digits), StringComparer.Ordinal);

    public static IEnumerable<Currency> Known => Table.Values;

    public static bool TryFromCode(string? code, out Currency currency)
    {
        if (code is not null && Table.TryGetValue(code, out currency))
        {
            return true;
        }
        currency = default;
        return false;
    }

    /// <exception cref="ArgumentException">The code is not a known ISO 4217 currency.</exception>
    public static Currency FromCode(string code) =>
        TryFromCode(code, out var c) ? c : throw new ArgumentException($"Unknown currency '{code}'.", nameof(code));

    public static Currency ZAR => FromCode("ZAR");
    public static Currency USD => FromCode("USD");

    [MemberNotNullWhen(false, nameof(Code))]
    public bool IsDefault => Code is null;

    public override string ToString() => Code ?? "(none)";
}
