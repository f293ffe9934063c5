namespace Prepay.Sts.Tokens;

/// <summary>
/// TID: whole minutes since the base date, 24 bits, seconds truncated. IEC 62055-41 §6.3.5.
/// </summary>
public readonly record struct TokenIdentifier
{
    /// <summary>The largest TID, 2^24 - 1 minutes (about 31.9 years).</summary>
    public const uint MaxMinutes = (1u << 24) - 1;

    private TokenIdentifier(uint minutes, BaseDate baseDate)
    {
        Minutes = minutes;
        BaseDate = baseDate;
    }

    /// <summary>Minutes since <see cref="BaseDate"/>.</summary>
    public uint Minutes { get; }

    /// <summary>The base date the minutes count from.</summary>
    public BaseDate BaseDate { get; }

    /// <summary>A TID from a minute count; throws if it does not fit in 24 bits.</summary>
    public static TokenIdentifier FromMinutes(uint minutes, BaseDate baseDate)
    {
        if (minutes > MaxMinutes)
        {
            throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "A TID has 24 bits.");
        }

        _ = baseDate.Epoch();
        return new TokenIdentifier(minutes, baseDate);
    }

    /// <summary>
    /// The TID of an instant: minutes since the base date, seconds truncated. Throws if the instant
    /// is before the base date or beyond its 24-bit range.
    /// </summary>
    public static TokenIdentifier FromInstant(DateTimeOffset instant, BaseDate baseDate)
    {
        long ticks = instant.UtcTicks - baseDate.Epoch().UtcTicks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, $"Before base date {baseDate.Epoch():yyyy-MM-dd}.");
        }

        long minutes = ticks / TimeSpan.TicksPerMinute;
        if (minutes > MaxMinutes)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, $"Beyond the 24-bit TID range of base date {baseDate.Epoch():yyyy}.");
        }

        return new TokenIdentifier((uint)minutes, baseDate);
    }

    /// <summary>The instant this TID stands for (UTC, whole minute).</summary>
    public DateTimeOffset ToInstant() => BaseDate.Epoch().AddMinutes(Minutes);

    /// <inheritdoc />
    public override string ToString() => $"{Minutes} ({ToInstant():yyyy-MM-dd HH:mm}Z)";
}
