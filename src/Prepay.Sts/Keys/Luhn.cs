namespace Prepay.Sts.Keys;

/// <summary>The Luhn (mod 10) check digit of ISO/IEC 7812, used for the IAIN and the PAN.</summary>
public static class Luhn
{
    /// <summary>The check digit to append to <paramref name="digits"/>.</summary>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        bool doubleIt = true;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                throw new FormatException("Luhn works on digits only.");
            }

            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (10 - (sum % 10)) % 10;
    }

    /// <summary>Whether the last digit is the check digit of the others.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck) =>
        digitsWithCheck.Length >= 2 && char.IsAsciiDigit(digitsWithCheck[^1]) &&
        CheckDigit(digitsWithCheck[..^1]) == digitsWithCheck[^1] - '0';
}
