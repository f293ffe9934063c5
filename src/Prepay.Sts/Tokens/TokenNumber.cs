namespace Prepay.Sts.Tokens;

/// <summary>
/// The 66-bit token as keyed in: 20 decimal digits. IEC 62055-41 §6.4: the two class bits are inserted as
/// bits 65..64 and then transposed with bits 28..27 of the (encrypted) data block, so the class ends up at
/// bits 28..27 and the block's bits 28..27 at bits 65..64. Values of 2^66 or more are not tokens.
/// </summary>
public readonly record struct TokenNumber
{
    /// <summary>The number of digits of a token.</summary>
    public const int Digits = 20;

    private const ulong TenDigits = 10_000_000_000;
    private const ulong ClassBitsMask = 3UL << 27;

    private TokenNumber(ulong low, byte high)
    {
        Low = low;
        High = high;
    }

    /// <summary>Bits 63..0.</summary>
    public ulong Low { get; }

    /// <summary>Bits 65..64.</summary>
    public byte High { get; }

    /// <summary>The token as one number, below 2^66.</summary>
    public UInt128 Value => new(High, Low);

    /// <summary>The token class, read from bits 28..27 (not encrypted).</summary>
    public TokenClass Class => (TokenClass)((Low >> 27) & 3);

    /// <summary>Inserts and transposes the class bits with bits 28..27 of the block.</summary>
    public static TokenNumber FromBlock(ulong block, TokenClass tokenClass)
    {
        byte high = (byte)((block >> 27) & 3);
        ulong low = (block & ~ClassBitsMask) | ((ulong)tokenClass << 27);
        return new TokenNumber(low, high);
    }

    /// <summary>From a number below 2^66.</summary>
    public static TokenNumber FromValue(UInt128 value)
    {
        if (value >> 66 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A token has 66 bits.");
        }

        return new TokenNumber(unchecked((ulong)value), (byte)(value >> 64));
    }

    /// <summary>The block with the class bits taken out and bits 28..27 put back.</summary>
    public ulong ToBlock() => (Low & ~ClassBitsMask) | ((ulong)High << 27);

    /// <summary>
    /// Parses 20 digits; '-' and ' ' between digits are ignored. Returns null on success, else why it failed.
    /// </summary>
    public static string? TryParse(ReadOnlySpan<char> text, out TokenNumber token)
    {
        token = default;
        ulong first = 0, second = 0;
        int count = 0;
        foreach (char c in text)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            uint digit = unchecked((uint)(c - '0'));
            if (digit > 9)
            {
                return "A token has only digits.";
            }

            if (count >= Digits)
            {
                return $"A token has {Digits} digits, this one has more.";
            }

            if (count < 10)
            {
                first = (first * 10) + digit;
            }
            else
            {
                second = (second * 10) + digit;
            }

            count++;
        }

        if (count != Digits)
        {
            return $"A token has {Digits} digits, this one has {count}.";
        }

        UInt128 value = ((UInt128)first * TenDigits) + second;
        if (value >> 66 != 0)
        {
            return "Not a token: the number is 2^66 or more.";
        }

        token = new TokenNumber(unchecked((ulong)value), (byte)(value >> 64));
        return null;
    }

    /// <summary>Writes the 20 digits into <paramref name="destination"/> (at least 20 chars); no allocation.</summary>
    public void Format(Span<char> destination)
    {
        if (destination.Length < Digits)
        {
            throw new ArgumentException($"Needs {Digits} chars.", nameof(destination));
        }

        // value = High * 2^64 + Low, with 2^64 = 1 844 674 407 * 10^10 + 3 709 551 616: ulong arithmetic only.
        ulong q = (High * 1_844_674_407UL) + (Low / TenDigits);
        ulong r = (High * 3_709_551_616UL) + (Low % TenDigits);
        q += r / TenDigits;
        r %= TenDigits;
        WriteTen(q, destination[..10]);
        WriteTen(r, destination.Slice(10, 10));
    }

    /// <summary>The 20 digits.</summary>
    public override string ToString() => string.Create(Digits, this, static (span, token) => token.Format(span));

    /// <summary>The digits in groups of four: 1234-5678-9012-3456-7890.</summary>
    public string ToGroupedString()
    {
        Span<char> digits = stackalloc char[Digits];
        Format(digits);
        return string.Create(24, digits.ToString(), static (span, d) =>
        {
            int j = 0;
            for (int i = 0; i < Digits; i++)
            {
                if (i > 0 && i % 4 == 0)
                {
                    span[j++] = '-';
                }

                span[j++] = d[i];
            }
        });
    }

    private static void WriteTen(ulong value, Span<char> destination)
    {
        for (int i = 9; i >= 0; i--)
        {
            ulong next = value / 10;
            destination[i] = (char)('0' + (int)(value - (next * 10)));
            value = next;
        }
    }
}
