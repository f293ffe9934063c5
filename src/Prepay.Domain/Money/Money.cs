using System.Globalization;

namespace Prepay.Domain.Money;

/// <summary>
/// An amount of one currency in minor units (cents). Never a floating-point number.
/// Adding two currencies throws: it is always a bug.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    public Money(long minor, Currency currency)
    {
        if (currency.IsDefault)
        {
            throw new ArgumentException("Money needs a currency.", nameof(currency));
        }
        Minor = minor;
        Currency = currency;
    }

    /// <summary>The amount in minor units, e.g. 10050 for ZAR 100.50.</summary>
    public long Minor { get; }

    public Currency Currency { get; }

    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;
    public bool IsPositive => Minor > 0;
    public bool IsNegative => Minor < 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + b.Minor), Same(a, b));
    public static Money operator -(Money a, Money b) => new(checked(a.Minor - b.Minor), Same(a, b));
    public static Money operator -(Money a) => new(checked(-a.Minor), a.Currency);
    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;
    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;
    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public int CompareTo(Money other)
    {
        Same(this, other);
        return Minor.CompareTo(other.Minor);
    }

    private static Currency Same(Money a, Money b) =>
        a.Currency == b.Currency
            ? a.Currency
            : throw new InvalidOperationException($"Cannot combine {a.Currency} with {b.Currency}.");

    /// <summary>
    /// Parses a decimal string such as <c>"100.00"</c> in the currency's major unit. Refuses more decimals
    /// than the currency has (no silent rounding of money), signs other than a leading '-', exponents,
    /// thousands separators and amounts that overflow.
    /// </summary>
    public static MoneyParseResult TryParse(string? text, Currency currency)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return MoneyParseResult.Fail("is required");
        }
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s[0] == '-')
        {
            negative = true;
            s = s[1..];
        }
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : s[(dot + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || (dot >= 0 && (fraction.IsEmpty || !IsDigits(fraction))))
        {
            return MoneyParseResult.Fail("must be a decimal number such as 100.00");
        }
        if (fraction.Length > currency.MinorDigits)
        {
            return MoneyParseResult.Fail($"has more than {currency.MinorDigits} decimal places for {currency.Code}");
        }
        if (whole.Length > 15)
        {
            return MoneyParseResult.Fail("is too large");
        }
        var major = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        long minorPart = 0;
        if (!fraction.IsEmpty)
        {
            minorPart = long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = fraction.Length; i < currency.MinorDigits; i++)
            {
                minorPart *= 10;
            }
        }
        var minor = major * currency.MinorPerMajor + minorPart;
        return MoneyParseResult.Ok(new Money(negative ? -minor : minor, currency));
    }

    public static Money Parse(string text, Currency currency)
    {
        var r = TryParse(text, currency);
        return r.Success ? r.Value : throw new FormatException($"Amount '{text}' {r.Error}.");
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The amount in major units with exactly the currency's decimals, e.g. <c>100.50</c>.</summary>
    public string ToDecimalString()
    {
        // The magnitude as unsigned: Math.Abs(long.MinValue) would overflow.
        var abs = Minor < 0 ? (ulong)(-(Minor + 1)) + 1 : (ulong)Minor;
        var sign = Minor < 0 ? "-" : "";
        if (Currency.MinorDigits == 0)
        {
            return sign + abs.ToString(CultureInfo.InvariantCulture);
        }
        var major = abs / (ulong)Currency.MinorPerMajor;
        var minor = abs % (ulong)Currency.MinorPerMajor;
        return sign + major.ToString(CultureInfo.InvariantCulture) + "." +
               minor.ToString(CultureInfo.InvariantCulture).PadLeft(Currency.MinorDigits, '0');
    }

    public override string ToString() => $"{Currency.Code} {ToDecimalString()}";
}

/// <summary>The outcome of parsing an amount: a value, or why the text is not one.</summary>
public readonly record struct MoneyParseResult(bool Success, Money Value, string? Error)
{
    public static MoneyParseResult Ok(Money value) => new(true, value, null);
    public static MoneyParseResult Fail(string error) => new(false, default, error);
}
