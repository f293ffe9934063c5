namespace Prepay.Tariffs.Rates;

/// <summary>
/// A percentage as an integer number of parts per million: 15 % is 150 000. Four decimals of a percent
/// (e.g. 0.0125 %) are representable, which covers VAT rates and levies.
/// </summary>
public readonly record struct Percentage
{
    public const long PartsPerWhole = 1_000_000;
    private const int PercentDecimals = 4;

    public Percentage(long partsPerMillion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partsPerMillion);
        PartsPerMillion = partsPerMillion;
    }

    public long PartsPerMillion { get; }

    public static Percentage FromPercent(long percent) => new(checked(percent * 10_000));

    /// <summary>Parses a percent written as decimal text, e.g. <c>"15"</c> or <c>"0.5"</c>.</summary>
    public static bool TryParse(string? text, out Percentage value, out string error)
    {
        var ok = FixedPoint.TryParse(text, PercentDecimals, out var scaled, out error);
        value = ok ? new Percentage(scaled) : default;
        return ok;
    }

    public string ToPercentString() => FixedPoint.Format(PartsPerMillion, PercentDecimals, 0);

    public override string ToString() => ToPercentString() + " %";
}
