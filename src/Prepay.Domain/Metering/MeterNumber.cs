namespace Prepay.Domain.Metering;

/// <summary>
/// A meter's number as printed on its nameplate: 1 to 20 digits for STS meters (the 11- or 13-digit
/// decoder reference number), letters, digits and '-' for other meters.
/// </summary>
public readonly record struct MeterNumber
{
    private MeterNumber(string value) => Value = value;

    public string Value { get; }

    public const int MaxLength = 32;

    public static bool TryParse(string? text, out MeterNumber number)
    {
        number = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var t = text.Trim();
        if (t.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in t)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }
        number = new MeterNumber(t);
        return true;
    }

    public static MeterNumber Parse(string text) =>
        TryParse(text, out var n) ? n : throw new FormatException($"'{text}' is not a meter number.");

    public override string ToString() => Value;
}
