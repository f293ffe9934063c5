namespace Prepay.Sts.Tokens;

/// <summary>
/// The 16-bit amount field: a 2-bit exponent e and a 14-bit mantissa m. IEC 62055-41 §6.3.5 (TransferAmount):
/// units = m for e = 0, otherwise 10^e * m + Σ(n = 1..e) 2^14 * 10^(n-1).
/// Units are the token's own: 0.1 kWh for electricity credit, 0.1 m³ water/gas, and so on.
/// </summary>
public readonly record struct TransferAmount
{
    /// <summary>The largest amount in units: 10^3 * 16383 + 2^14 * 111 = 18 201 624 (1 820 162.4 kWh).</summary>
    public const long MaxUnits = 18_201_624;

    private const int MantissaMax = (1 << 14) - 1;

    // Σ(n = 1..e) 2^14 * 10^(n-1): where exponent e's range starts.
    private static ReadOnlySpan<long> Offsets => [0, 16_384, 180_224, 1_818_624];

    private static ReadOnlySpan<long> Powers => [1, 10, 100, 1000];

    private TransferAmount(ushort encoded) => Encoded = encoded;

    /// <summary>The largest representable amount.</summary>
    public static TransferAmount Max => new(ushort.MaxValue);

    /// <summary>The 16 bits as carried in the token.</summary>
    public ushort Encoded { get; }

    /// <summary>The exponent, 0..3.</summary>
    public int Exponent => Encoded >> 14;

    /// <summary>The mantissa, 0..16383.</summary>
    public int Mantissa => Encoded & MantissaMax;

    /// <summary>The amount in units.</summary>
    public long Units => (Powers[Exponent] * Mantissa) + Offsets[Exponent];

    /// <summary>Any 16 bits are a valid amount (used when decoding).</summary>
    public static TransferAmount FromEncoded(ushort encoded) => new(encoded);

    /// <summary>The amount exactly equal to <paramref name="units"/>, or false if no encoding gives it.</summary>
    public static bool TryFromUnitsExact(long units, out TransferAmount amount)
    {
        if (units is < 0 or > MaxUnits)
        {
            amount = default;
            return false;
        }

        amount = RoundDown(units);
        return amount.Units == units;
    }

    /// <summary>The amount exactly equal to <paramref name="units"/>; throws if it is not representable.</summary>
    public static TransferAmount FromUnitsExact(long units) =>
        TryFromUnitsExact(units, out var amount)
            ? amount
            : throw new ArgumentOutOfRangeException(nameof(units), units, "Not representable as an STS amount; use FromUnitsRoundingDown.");

    /// <summary>
    /// The largest representable amount not above <paramref name="units"/>: what vending uses, so a customer
    /// never receives more than was paid for. Throws above <see cref="MaxUnits"/> rather than silently capping
    /// (split the sale over several tokens instead).
    /// </summary>
    public static TransferAmount FromUnitsRoundingDown(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(units, MaxUnits);
        return RoundDown(units);
    }

    /// <summary>The smallest representable amount not below <paramref name="units"/> (rounding in the customer's favour).</summary>
    public static TransferAmount FromUnitsRoundingUp(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(units, MaxUnits);
        var down = RoundDown(units);
        if (down.Units == units)
        {
            return down;
        }

        int e = down.Exponent;
        int m = down.Mantissa + 1;
        return m <= MantissaMax ? Create(e, m) : Create(e + 1, 0);
    }

    private static TransferAmount RoundDown(long units)
    {
        int e = 3;
        while (units < Offsets[e])
        {
            e--;
        }

        long m = (units - Offsets[e]) / Powers[e];
        return Create(e, (int)m);
    }

    private static TransferAmount Create(int exponent, int mantissa)
    {
        System.Diagnostics.Debug.Assert(exponent is >= 0 and <= 3 && mantissa is >= 0 and <= MantissaMax, "exponent/mantissa range");
        return new TransferAmount((ushort)((exponent << 14) | mantissa));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Units} units (e={Exponent}, m={Mantissa})";
}
