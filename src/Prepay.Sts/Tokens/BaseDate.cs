namespace Prepay.Sts.Tokens;

/// <summary>The base dates from which a token identifier counts minutes. IEC 62055-41 §6.3.5 (TID).</summary>
public enum BaseDate
{
    /// <summary>1993-01-01T00:00Z, the original base date.</summary>
    Y1993 = 1993,

    /// <summary>2014-01-01T00:00Z, used after the first TID roll-over.</summary>
    Y2014 = 2014,

    /// <summary>2035-01-01T00:00Z.</summary>
    Y2035 = 2035,
}

/// <summary>Facts about each <see cref="BaseDate"/>.</summary>
public static class BaseDates
{
    /// <summary>The instant the base date starts, in UTC.</summary>
    public static DateTimeOffset Epoch(this BaseDate baseDate) => baseDate switch
    {
        BaseDate.Y1993 => new DateTimeOffset(1993, 1, 1, 0, 0, 0, TimeSpan.Zero),
        BaseDate.Y2014 => new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero),
        BaseDate.Y2035 => new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero),
        _ => throw new ArgumentOutOfRangeException(nameof(baseDate), baseDate, "Unknown base date."),
    };

    /// <summary>The two-character code used in the DKGA-04 data block ("93", "14", "35").</summary>
    public static string ShortCode(this BaseDate baseDate) => baseDate switch
    {
        BaseDate.Y1993 => "93",
        BaseDate.Y2014 => "14",
        BaseDate.Y2035 => "35",
        _ => throw new ArgumentOutOfRangeException(nameof(baseDate), baseDate, "Unknown base date."),
    };

    /// <summary>The base date that follows this one at a key-change roll-over, or null for the last.</summary>
    public static BaseDate? Next(this BaseDate baseDate) => baseDate switch
    {
        BaseDate.Y1993 => BaseDate.Y2014,
        BaseDate.Y2014 => BaseDate.Y2035,
        _ => null,
    };

    /// <summary>Parses "1993", "2014", "2035" (or the short codes "93", "14", "35").</summary>
    public static bool TryParse(string? text, out BaseDate baseDate)
    {
        baseDate = text switch
        {
            "1993" or "93" => BaseDate.Y1993,
            "2014" or "14" => BaseDate.Y2014,
            "2035" or "35" => BaseDate.Y2035,
            _ => 0,
        };
        return baseDate != 0;
    }
}
