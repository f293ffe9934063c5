using System.Globalization;

namespace Prepay.Tariffs.Rates;

/// <summary>
/// Exact decimal text such as <c>"2.5123"</c> to and from a scaled integer. Tariff documents carry every rate
/// as a string so no JSON reader ever turns a price into a binary floating-point number.
/// </summary>
internal static class FixedPoint
{
    /// <summary>Parses a non-negative decimal with at most <paramref name="decimals"/> places into value × 10^decimals.</summary>
    public static bool TryParse(string? text, int decimals, out long scaled, out string error)
    {
        scaled = 0;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "must be a decimal number such as \"2.50\"";
            return false;
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || (dot >= 0 && (fraction.Length == 0 || !fraction.All(char.IsAsciiDigit))))
        {
            error = "must be a non-negative decimal number such as \"2.50\"";
            return false;
        }
        if (fraction.Length > decimals)
        {
            error = $"has more than {decimals} decimal places";
            return false;
        }
        if (whole.Length > 12)
        {
            error = "is too large";
            return false;
        }
        var value = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var i = 0; i < decimals; i++)
        {
            value *= 10;
        }
        var fractionValue = fraction.Length == 0 ? 0 : long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var i = fraction.Length; i < decimals; i++)
        {
            fractionValue *= 10;
        }
        scaled = value + fractionValue;
        return true;
    }

    /// <summary>Formats value × 10^-decimals, dropping trailing zeros but keeping at least <paramref name="minDecimals"/>.</summary>
    public static string Format(long scaled, int decimals, int minDecimals)
    {
        var divisor = Pow10(decimals);
        var sign = scaled < 0 ? "-" : "";
        var abs = Math.Abs(scaled);
        var whole = (abs / divisor).ToString(CultureInfo.InvariantCulture);
        var fraction = (abs % divisor).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
        var keep = fraction.Length;
        while (keep > minDecimals && fraction[keep - 1] == '0')
        {
            keep--;
        }
        return keep == 0 ? sign + whole : sign + whole + "." + fraction[..keep];
    }

    public static long Pow10(int digits)
    {
        long p = 1;
        for (var i = 0; i < digits; i++)
        {
            p *= 10;
        }
        return p;
    }
}
