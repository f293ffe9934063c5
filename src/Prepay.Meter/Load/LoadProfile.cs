using NodaTime;

namespace Prepay.Meter.Load;

/// <summary>
/// The customer's demand and the supply voltage, minute by minute, deterministic for a seed: the shape's local
/// daily/weekly curve × a winter heating bump × a per-day factor × per-minute noise, plus random appliance bursts.
/// Power is constant within each UTC minute, so energy does not depend on how the clock is advanced.
/// </summary>
public sealed class LoadProfile
{
    /// <summary>Nominal voltage, 230.0 V.</summary>
    public const int NominalDeciVolts = 2300;

    private const double DaysPerYear = 365.2425;
    private readonly LoadShape _shape;
    private readonly long _seed;
    private readonly DateTimeZone _zone;
    private readonly int _scalePercent;
    private readonly int _winterPeakDayOfYear;

    /// <summary>A profile; <paramref name="winterPeakMonth"/> is 7 in the southern hemisphere, 1 in the northern.</summary>
    public LoadProfile(LoadShape shape, long seed, DateTimeZone zone, int scalePercent = 100, int winterPeakMonth = 7)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(scalePercent);
        ArgumentOutOfRangeException.ThrowIfLessThan(winterPeakMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(winterPeakMonth, 12);
        _shape = shape;
        _seed = seed;
        _zone = zone;
        _scalePercent = scalePercent;
        _winterPeakDayOfYear = ((winterPeakMonth - 1) * 30) + 15;
    }

    /// <summary>The demand in W during the UTC minute containing <paramref name="at"/>.</summary>
    public int WattsAt(Instant at)
    {
        long minute = MinuteIndex(at);
        var local = Instant.FromUnixTimeSeconds(minute * 60).InZone(_zone).LocalDateTime;
        double watts = ShapeCurves.Watts(_shape, local);

        double season = Math.Cos(2 * Math.PI * (local.DayOfYear - _winterPeakDayOfYear) / DaysPerYear);
        watts *= 1 + (ShapeCurves.HeatingShare(_shape) * Math.Max(0, season));

        long day = local.Date.ToDateOnly().DayNumber;
        watts *= 0.85 + (0.30 * Noise.Unit(_seed, 1, day));
        watts *= 0.80 + (0.40 * Noise.Unit(_seed, 2, minute));

        var (chance, burst) = ShapeCurves.Burst(_shape);
        if (Noise.Unit(_seed, 3, minute) < chance)
        {
            watts += burst;
        }

        return (int)Math.Round(watts * _scalePercent / 100.0);
    }

    /// <summary>The supply voltage in 0.1 V during the minute containing <paramref name="at"/>: 230 V ± 1.3 %.</summary>
    public int DeciVoltsAt(Instant at) => NominalDeciVolts + (int)Math.Round((Noise.Unit(_seed, 4, MinuteIndex(at)) - 0.5) * 60);

    private static long MinuteIndex(Instant at) => Math.DivRem(at.ToUnixTimeTicks(), NodaConstants.TicksPerMinute, out long rem) - (rem < 0 ? 1 : 0);
}
