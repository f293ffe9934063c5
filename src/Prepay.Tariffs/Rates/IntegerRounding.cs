namespace Prepay.Tariffs.Rates;

/// <summary>
/// Division of non-negative integers with a named rounding direction. Every price in the engine goes
/// through one of these three, so the direction of each rounding is visible at the call site.
/// </summary>
internal static class IntegerRounding
{
    public static Int128 Floor(Int128 numerator, Int128 denominator)
    {
        Check(numerator, denominator);
        return numerator / denominator;
    }

    public static Int128 Ceiling(Int128 numerator, Int128 denominator)
    {
        Check(numerator, denominator);
        var q = numerator / denominator;
        return numerator % denominator == 0 ? q : q + 1;
    }

    /// <summary>Banker's rounding: a tie goes to the even neighbour, so ties do not drift one way over many sales.</summary>
    public static Int128 HalfEven(Int128 numerator, Int128 denominator)
    {
        Check(numerator, denominator);
        var q = numerator / denominator;
        var twiceRemainder = numerator % denominator * 2;
        if (twiceRemainder > denominator || (twiceRemainder == denominator && q % 2 != 0))
        {
            q++;
        }
        return q;
    }

    public static long ToLong(Int128 value) => checked((long)value);

    private static void Check(Int128 numerator, Int128 denominator)
    {
        if (numerator < 0 || denominator <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), "Rounding is defined here for non-negative amounts and positive divisors only.");
        }
    }
}
